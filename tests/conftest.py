"""Shared fixtures: real embedding model, real Chroma, the real corpora."""

from __future__ import annotations

import importlib.util
import os
import queue
import subprocess
import tempfile
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

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
from assistant.net import free_port  # noqa: E402, F401  - for the tests that start servers
from assistant.results import Passage  # noqa: E402

if TYPE_CHECKING:
    from assistant.answering.verification import FaithfulnessChecker

REPO_ROOT = Path(__file__).resolve().parent.parent
CORPUS = REPO_ROOT / "corpus"
# ../shared beside the clone; ICS_SHARED_DIR points a git worktree elsewhere at it.
SHARED = Path(os.environ.get("ICS_SHARED_DIR") or REPO_ROOT.parent / "shared")
CORPUS_NHS = SHARED / "corpus-nhs"
INGEST_DRIVER = Path(__file__).resolve().parent / "ingest_driver.py"  # a real ingestion that reports its progress
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


def line_queue(stream: Iterable[str]) -> "queue.Queue[str | None]":
    """A process's output lines as they come (read by a thread, so a test can wait with a timeout); None at the end."""
    lines: queue.Queue[str | None] = queue.Queue()

    def pump() -> None:
        for line in stream:
            lines.put(line.rstrip("\n"))
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    return lines


def _pdf_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def make_pdf(pages: list[list[str]], title: str | None = None, objects: Mapping[int, bytes] | None = None) -> bytes:
    """A minimal valid PDF, written by hand: one Helvetica text line per string; an empty list is a blank page.

    Objects: 1 catalogue, 2 page tree, 3 font, then per page ``i`` (from 0) the page ``4 + 2i`` and its
    content stream ``5 + 2i``, last the document info (``/Title``). ``objects`` replaces bodies by number
    (e.g. a compressed content stream); the cross-reference table is always right.
    """
    n = len(pages)
    page_ids = [4 + 2 * i for i in range(n)]
    body: dict[int, bytes] = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: f"<< /Type /Pages /Kids [{' '.join(f'{p} 0 R' for p in page_ids)}] /Count {n} >>".encode(),
        3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    }
    for page_id, lines in zip(page_ids, pages, strict=True):
        ops = ["BT", "/F1 12 Tf", "14 TL", "72 720 Td"] + [f"({_pdf_text(s)}) Tj T*" for s in lines] + ["ET"]
        stream = "\n".join(ops).encode("latin-1")
        body[page_id] = (
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            f"/Resources << /Font << /F1 3 0 R >> >> /Contents {page_id + 1} 0 R >>"
        ).encode()
        body[page_id + 1] = b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream"
    info_id = 4 + 2 * n
    body[info_id] = f"<< /Title ({_pdf_text(title or '')}) >>".encode("latin-1")
    body.update(objects or {})

    out = bytearray(b"%PDF-1.4\n")
    offsets = {}
    for obj_id in sorted(body):
        offsets[obj_id] = len(out)
        out += b"%d 0 obj\n" % obj_id + body[obj_id] + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (info_id + 1)
    for obj_id in range(1, info_id + 1):
        out += b"%010d 00000 n \n" % offsets[obj_id]
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (info_id + 1, info_id, xref)
    return bytes(out)


def need_shared() -> None:
    if not CORPUS_NHS.is_dir():
        pytest.skip(f"{CORPUS_NHS} is absent (CI clones the repo with ../shared beside it)")


def indexed_assistant(root: Path, texts: Mapping[str, str]) -> Assistant:
    """An ``Assistant`` over a small made-up corpus: each ``name -> text`` written to ``root/docs`` and ingested
    into ``root/index`` (real model, real Chroma)."""
    docs = root / "docs"
    docs.mkdir()
    for name, text in texts.items():
        (docs / name).write_text(text, encoding="utf-8")
    a = Assistant(index_dir=root / "index")
    assert a.ingest([docs]).ok
    return a


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


# A passage the faithfulness and metric tests check claims against.
EVIDENCE = [
    "Chancellor Jeremy Hunt announced that he had asked Patricia Hewitt to oversee an independent review "
    "into how ICSs can best succeed. The review will report by 15 March 2023. There are 42 integrated care "
    "boards in England, and the review will not set new national targets."
]


@pytest.fixture(scope="session")
def checker() -> "FaithfulnessChecker":
    from assistant.answering.verification import FaithfulnessChecker

    return FaithfulnessChecker()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Report the outbound connections the network guard refused (there should be none)."""
    log = Path(os.environ["ICS_TEST_NET_LOG"])
    lines = log.read_text(encoding="utf-8").splitlines() if log.is_file() else []
    terminalreporter.write_line(f"network guard: outbound sockets limited to loopback; {len(lines)} attempt(s) blocked")
    for line in lines[:20]:
        terminalreporter.write_line(f"  blocked: {line}")


def make_passage(text: str, source: str = "doc.txt", title: str = "Document", start: int = 0, **facts: object) -> Passage:
    """A retrieved passage for the pure answering tests: ``text`` at ``start`` of ``source`` (its path too, unless
    ``path`` is given), score 1; ``facts`` are any other ``Passage`` fields (publisher, date, period, ...)."""
    path = str(facts.pop("path", source))
    return Passage(source=source, path=path, title=title, text=text, score=1.0, start=start, end=start + len(text),
                   **facts)  # type: ignore[arg-type]


def whole_candidates(passages: list[Passage]) -> list[tuple[int, int, int, str]]:
    """Each passage's whole text as one candidate sentence, as ``answerability.constrained`` takes them:
    ``(rank, start, end, text)``."""
    return [(rank, 0, len(p.text), p.text) for rank, p in enumerate(passages)]
