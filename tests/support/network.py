"""What counts as this machine, for the guards that keep tests and benchmarks on loopback."""

from __future__ import annotations

import ipaddress
from typing import Any


def is_local(address: Any) -> bool:
    """A socket address on this machine: a unix socket path, localhost or a loopback IP."""
    if isinstance(address, (str, bytes)):
        return True
    host = address[0]
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
