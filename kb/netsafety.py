"""Which hosts a link may point at: public ones only, however the address is spelled.

`127.1`, `0x7f000001`, `2130706433`, `[::1]` and `[::ffff:127.0.0.1]` are all loopback. `inet_aton`
reads the legacy IPv4 spellings the way browsers and `requests` do, so the check sees what a fetch
would reach.
"""

from __future__ import annotations

import ipaddress
import socket

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
_LOCAL_SUFFIXES = (".localhost", ".local", ".internal", ".lan", ".home.arpa", ".localdomain")


def literal_address(host: str) -> IPAddress | None:
    """The address a host written as an IP literal stands for, in any spelling; None for a name."""
    host = host.strip("[]").rstrip(".")
    try:
        return ipaddress.ip_address(host.split("%")[0])
    except ValueError:
        pass
    if host and all(part.isalnum() for part in host.split(".")) and host.split(".")[-1][:1].isdigit():
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    return None


def is_public(address: IPAddress) -> bool:
    """True for globally routable unicast addresses (IPv4-mapped IPv6 judged by the IPv4 inside)."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


def local_name(host: str) -> bool:
    """Names that mean this machine or a private network, whatever DNS says."""
    name = host.lower().rstrip(".")
    return name == "localhost" or name.endswith(_LOCAL_SUFFIXES) or "." not in name


def refusal(host: str) -> str | None:
    """Why a host written in a URL is not a public one, or None when nothing in its spelling says so."""
    address = literal_address(host)
    if address is not None:
        return None if is_public(address) else f"{host} is a {describe(address)} address"
    if local_name(host):
        return f"{host} is a local host name"
    return None


def describe(address: IPAddress) -> str:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    for attribute in ("loopback", "link_local", "multicast", "unspecified", "reserved", "private"):
        if getattr(address, f"is_{attribute}"):
            return attribute.replace("_", "-")
    return "non-public"
