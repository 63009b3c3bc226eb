"""The whole suite runs without network: conftest's guard refuses every non-loopback socket.

These tests prove the guard is in force, in the pytest process and in the subprocesses the tests
start (CLI runs, ingestion drivers, the app), while loopback (Chroma server, Gradio, llama.cpp)
still works.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import threading

import pytest

PUBLIC_IP = "192.0.2.10"  # TEST-NET-1: a public-looking address that nothing answers


@pytest.fixture(autouse=True)
def _own_log(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    """These attempts are deliberate: log them apart from the suite's summary of blocked attempts."""
    monkeypatch.setenv("ICS_TEST_NET_LOG", str(tmp_path / "blocked.log"))


def test_outbound_connect_and_dns_are_refused_in_process() -> None:
    with pytest.raises(OSError, match="blocked by the test suite"):
        socket.create_connection((PUBLIC_IP, 80), timeout=2)
    with pytest.raises(OSError, match="blocked by the test suite"):
        socket.getaddrinfo("huggingface.co", 443)
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        with pytest.raises(OSError, match="blocked by the test suite"):
            sock.sendto(b"x", (PUBLIC_IP, 53))
    finally:
        sock.close()


def test_loopback_still_works() -> None:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    port = server.getsockname()[1]
    got: list[bytes] = []

    def serve() -> None:
        conn, _ = server.accept()
        with conn:
            got.append(conn.recv(10))

    thread = threading.Thread(target=serve)
    thread.start()
    with socket.create_connection(("localhost", port), timeout=5) as client:
        client.sendall(b"hello")
    thread.join(timeout=5)
    server.close()
    assert got == [b"hello"]


def test_subprocesses_inherit_the_guard() -> None:
    code = (
        "import socket\n"
        "try:\n"
        f"    socket.create_connection(({PUBLIC_IP!r}, 80), timeout=2)\n"
        "except OSError as exc:\n"
        "    print('refused:', exc)\n"
        "try:\n"
        "    socket.getaddrinfo('pypi.org', 443)\n"
        "except OSError as exc:\n"
        "    print('refused:', exc)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("blocked by the test suite") == 2, done.stdout
