"""The suite-wide socket guard really blocks network connections (so the rest of the suite proves
Leadbench never connects anywhere)."""

import socket

import pytest


def test_internet_sockets_are_blocked_during_the_suite():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        with pytest.raises(AssertionError, match="network connection attempted"):
            s.connect(("127.0.0.1", 9))
