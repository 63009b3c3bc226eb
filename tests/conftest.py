"""Shared fixtures: real embedding model, real Chroma, the real corpora."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant import Assistant

REPO_ROOT = Path(__file__).resolve().parent.parent
CORPUS = REPO_ROOT / "corpus"
SHARED = REPO_ROOT.parent / "shared"
CORPUS_NHS = SHARED / "corpus-nhs"
NEWS = "000_e80050a0a2aa5b66.txt"
LETTER = "004_a28fd0cbddd6702a.txt"


def need_shared() -> None:
    if not CORPUS_NHS.is_dir():
        pytest.skip(f"{CORPUS_NHS} is absent (CI clones the repo with ../shared beside it)")


@pytest.fixture(scope="session")
def seed_assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    """An index of the default corpus (the two seed documents)."""
    a = Assistant(index_dir=tmp_path_factory.mktemp("seed-index"))
    summary = a.ingest([CORPUS])
    assert summary.ok and len(summary.added) == 2, str(summary)
    return a


@pytest.fixture(scope="session")
def full_assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    """An index of the seeds plus ../shared/corpus-nhs (nine documents)."""
    need_shared()
    a = Assistant(index_dir=tmp_path_factory.mktemp("full-index"))
    summary = a.ingest([CORPUS, CORPUS_NHS])
    assert summary.ok and len(summary.added) == 9, str(summary)
    return a
