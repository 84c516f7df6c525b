"""No test reaches the internet: the socket guard allows loopback only."""

from __future__ import annotations

import socket

import pytest
from pytest_socket import SocketConnectBlockedError


@pytest.mark.filterwarnings("ignore:A test tried to use socket")
def test_connecting_to_a_public_address_is_blocked() -> None:
    with pytest.raises(SocketConnectBlockedError), socket.create_connection(("93.184.215.14", 80), timeout=1):
        pass


def test_loopback_is_allowed() -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        with socket.create_connection(server.getsockname(), timeout=1):
            pass
