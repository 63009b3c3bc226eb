"""Nothing reaches the internet: ingest and ask with every non-loopback connection refused and recorded."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from conftest import CORPUS, CORPUS_DOCS

GUARD = textwrap.dedent(
    """
    import json, socket, sys
    attempts = []
    def _allowed(address):
        if isinstance(address, (str, bytes)):   # AF_UNIX
            return True
        host = str(address[0])
        return host in ("localhost", "::1") or host.startswith("127.")
    def _guard(original):
        def connect(self, address, *a, **k):
            if not _allowed(address):
                attempts.append(repr(address))
                raise OSError("network access blocked by test")
            return original(self, address, *a, **k)
        return connect
    socket.socket.connect = _guard(socket.socket.connect)
    socket.socket.connect_ex = _guard(socket.socket.connect_ex)
    _getaddrinfo = socket.getaddrinfo
    def getaddrinfo(host, *a, **k):
        if host not in (None, "localhost", "::1") and not str(host).startswith("127."):
            attempts.append("dns:" + str(host))
            raise socket.gaierror("name resolution blocked by test")
        return _getaddrinfo(host, *a, **k)
    socket.getaddrinfo = getaddrinfo

    from assistant import Assistant   # imports happen under the guard
    a = Assistant(index_dir=sys.argv[1])
    summary = a.ingest([sys.argv[2]])
    answer = a.ask("Who was asked to lead the independent review of integrated care systems?")
    print(json.dumps({"attempts": attempts, "added": len(summary.added), "failed": summary.failed,
                      "text": answer.text, "refused": answer.refused}))
    """
)


def test_ingest_and_ask_with_sockets_blocked(tmp_path: Path) -> None:
    script = tmp_path / "guarded.py"
    script.write_text(GUARD, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script), str(tmp_path / "index"), str(CORPUS)],
        capture_output=True, text=True, timeout=600,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},  # no HF_HUB_OFFLINE etc.: the package must set them
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["attempts"] == []
    assert result["added"] == CORPUS_DOCS and not result["failed"]
    assert not result["refused"] and "Patricia Hewitt" in result["text"]
