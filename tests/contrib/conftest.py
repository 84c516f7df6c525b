"""Fixtures for the contribution tools' tests."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def httpserver_listen_address() -> tuple[str, int]:
    """pytest-httpserver on 127.0.0.1: entry URLs need a dotted host, and 'localhost' is refused by the model."""
    return ("127.0.0.1", 0)
