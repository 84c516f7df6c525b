"""Private, loopback and local hosts are recognised however they are spelled."""

from __future__ import annotations

import pytest

from kb.netsafety import refusal


@pytest.mark.parametrize("host", ["127.0.0.1", "127.1", "0x7f000001", "2130706433", "017700000001", "[::1]",
                                  "::ffff:127.0.0.1", "10.1.2.3", "192.168.0.1", "169.254.169.254", "0.0.0.0",
                                  "224.0.0.1", "fd00::1", "localhost", "api.localhost", "printer.local", "intranet"])
def test_non_public_hosts_are_refused(host: str) -> None:
    assert refusal(host) is not None


@pytest.mark.parametrize("host", ["www.youtube.com", "93.184.215.14", "2606:4700::6810:85e5", "1e100.net"])
def test_public_hosts_pass(host: str) -> None:
    assert refusal(host) is None


def test_refusal_says_what_kind_of_address() -> None:
    assert refusal("0x7f000001") == "0x7f000001 is a loopback address"
    assert refusal("169.254.169.254") == "169.254.169.254 is a link-local address"
