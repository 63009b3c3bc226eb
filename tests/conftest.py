"""Shared fixtures: real embedding model, real Chroma, the real corpora."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import tempfile
from pathlib import Path

import pytest

# No network for the whole suite: outbound sockets may only reach loopback, in this process and in
# every Python subprocess a test starts (they inherit PYTHONPATH and import tests/netguard/sitecustomize.py).
NETGUARD_DIR = Path(__file__).resolve().parent / "netguard"
os.environ["PYTHONPATH"] = os.pathsep.join([str(NETGUARD_DIR), *filter(None, [os.environ.get("PYTHONPATH")])])
os.environ.setdefault("ICS_TEST_NET_LOG", os.path.join(tempfile.mkdtemp(prefix="ics-netlog-"), "blocked.log"))
_spec = importlib.util.spec_from_file_location("ics_netguard", NETGUARD_DIR / "sitecustomize.py")
assert _spec is not None and _spec.loader is not None
_netguard = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_netguard)
_netguard.install()

from assistant import Assistant  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parent.parent
CORPUS = REPO_ROOT / "corpus"
# ../shared beside the clone; ICS_SHARED_DIR points a git worktree elsewhere at it.
SHARED = Path(os.environ.get("ICS_SHARED_DIR") or REPO_ROOT.parent / "shared")
CORPUS_NHS = SHARED / "corpus-nhs"
NEWS = "000_e80050a0a2aa5b66.txt"
LETTER = "004_a28fd0cbddd6702a.txt"
IFR_POLICY = "Commissioning-policy-individual-funding-requests-v3.pdf"
IFR_SOP = "Standard-operating-procedures-individual-funding-requests-February-2023.pdf"
# The default corpus: the two seeds and two NHS England PDFs (docs/corpus.md).
CORPUS_DOCS = 4


def stop_process(proc: subprocess.Popen) -> None:  # type: ignore[type-arg]
    """SIGTERM, then SIGKILL if it has not exited within 20 s."""
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def need_shared() -> None:
    if not CORPUS_NHS.is_dir():
        pytest.skip(f"{CORPUS_NHS} is absent (CI clones the repo with ../shared beside it)")


@pytest.fixture(scope="session")
def seed_assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    """An index of the default corpus (the two seed documents and two NHS England PDFs)."""
    a = Assistant(index_dir=tmp_path_factory.mktemp("seed-index"))
    summary = a.ingest([CORPUS])
    assert summary.ok and len(summary.added) == CORPUS_DOCS, str(summary)
    return a


@pytest.fixture(scope="session")
def full_assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    """An index of the default corpus plus ../shared/corpus-nhs (eleven documents)."""
    need_shared()
    a = Assistant(index_dir=tmp_path_factory.mktemp("full-index"))
    summary = a.ingest([CORPUS, CORPUS_NHS])
    assert summary.ok and len(summary.added) == CORPUS_DOCS + 7, str(summary)
    return a


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Report the outbound connections the network guard refused (there should be none)."""
    log = Path(os.environ["ICS_TEST_NET_LOG"])
    lines = log.read_text(encoding="utf-8").splitlines() if log.is_file() else []
    terminalreporter.write_line(f"network guard: outbound sockets limited to loopback; {len(lines)} attempt(s) blocked")
    for line in lines[:20]:
        terminalreporter.write_line(f"  blocked: {line}")
