"""Test-suite network guard: outbound sockets may only reach loopback.

``tests/conftest.py`` installs it in the pytest process and puts this directory first on
``PYTHONPATH``, so every Python subprocess the tests start (CLI runs, ingestion drivers, the app,
``chroma run``) imports it at start-up as ``sitecustomize``. A blocked attempt raises ``OSError``
(what a machine without internet gives) and is appended to ``$ICS_TEST_NET_LOG`` if set.
"""

from __future__ import annotations

import os
import socket

_LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"}


def _host_allowed(host: object) -> bool:
    if host is None:
        return True
    text = host.decode() if isinstance(host, bytes) else str(host)
    text = text.strip("[]").lower()
    return (
        text in _LOOPBACK_NAMES or text.startswith("127.") or text in ("::1", "0:0:0:0:0:0:0:1", "", "0.0.0.0", "::")
        or text.startswith("::ffff:127.")
    )


def _address_allowed(address: object) -> bool:
    if isinstance(address, (str, bytes)):  # AF_UNIX socket path
        return True
    if isinstance(address, tuple) and address:
        return _host_allowed(address[0])
    return True


def _record(what: str) -> None:
    path = os.environ.get("ICS_TEST_NET_LOG")
    if not path:
        return
    try:
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(f"{os.getpid()} {what}\n")
    except OSError:
        pass


def install() -> None:
    """Patch ``socket`` so non-loopback connects, sends and name lookups fail (idempotent)."""
    if getattr(socket, "_ics_guarded", False):
        return

    def guard(original):
        def guarded(self, address, *args, **kwargs):
            if not _address_allowed(address):
                _record(f"{original.__name__} {address!r}")
                raise OSError(101, f"network access blocked by the test suite (only loopback allowed): {address!r}")
            return original(self, address, *args, **kwargs)

        guarded.__name__ = original.__name__
        return guarded

    def guard_sendto(original):
        def sendto(self, data, *args):
            address = args[-1] if args else None
            if address is not None and not _address_allowed(address):
                _record(f"sendto {address!r}")
                raise OSError(101, f"network access blocked by the test suite (only loopback allowed): {address!r}")
            return original(self, data, *args)

        return sendto

    socket.socket.connect = guard(socket.socket.connect)  # type: ignore[method-assign]
    socket.socket.connect_ex = guard(socket.socket.connect_ex)  # type: ignore[method-assign]
    socket.socket.sendto = guard_sendto(socket.socket.sendto)  # type: ignore[method-assign]
    original_getaddrinfo = socket.getaddrinfo

    def getaddrinfo(host, *args, **kwargs):
        if not _host_allowed(host):
            _record(f"getaddrinfo {host!r}")
            raise socket.gaierror(socket.EAI_NONAME, f"name resolution blocked by the test suite: {host!r}")
        return original_getaddrinfo(host, *args, **kwargs)

    socket.getaddrinfo = getaddrinfo
    original_gethostbyname = socket.gethostbyname

    def gethostbyname(host):
        if not _host_allowed(host):
            _record(f"gethostbyname {host!r}")
            raise socket.gaierror(socket.EAI_NONAME, f"name resolution blocked by the test suite: {host!r}")
        return original_gethostbyname(host)

    socket.gethostbyname = gethostbyname
    socket._ics_guarded = True  # type: ignore[attr-defined]


if os.environ.get("ICS_TEST_NETGUARD", "1") != "0":
    install()
