"""Network ports: the range a port may take, and a free loopback port for servers we start."""

from __future__ import annotations

import socket
from typing import Annotated

from annotated_types import Interval

Port = Annotated[int, Interval(ge=1, le=65535)]


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on right now (the kernel picks it; a race with another process is possible)."""
    with socket.socket() as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])
