"""Incremental ingestion on the real model and real Chroma: skip, replace, remove, never duplicate."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import CORPUS, CORPUS_DOCS, CORPUS_NHS, need_shared

from assistant import Assistant


def _assert_consistent(a: Assistant) -> None:
    """Chunk count equals the catalogue's, and no chunk id or (path, index) is duplicated."""
    docs = a.store.documents()
    got = a.store.chunks.get(include=["metadatas"])
    assert len(got["ids"]) == len(set(got["ids"])) == sum(r.chunks for r in docs.values())
    keys = [(m["path"], m["chunk_index"]) for m in got["metadatas"]]
    assert len(keys) == len(set(keys))
    assert {m["path"] for m in got["metadatas"]} == set(docs)
    for m in got["metadatas"]:
        assert m["content_hash"] == docs[m["path"]].fingerprint


def test_reingesting_seeds_and_nhs_corpus_adds_nothing(full_assistant: Assistant) -> None:
    need_shared()
    before = full_assistant.store.count()
    again = full_assistant.ingest([CORPUS, CORPUS_NHS])
    assert again.chunks_added == 0 and again.chunks_removed == 0
    assert len(again.unchanged) == CORPUS_DOCS + 7 and not (again.added or again.updated or again.removed or again.failed)
    assert full_assistant.store.count() == before
    _assert_consistent(full_assistant)


def test_changed_files_replace_removed_files_leave_and_bad_files_are_reported(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    shutil.copytree(CORPUS, docs, ignore=shutil.ignore_patterns("*.pdf"))  # the two seeds: quick to re-ingest
    a = Assistant(index_dir=tmp_path / "index")
    first = a.ingest([docs])
    assert len(first.added) == 2 and first.ok
    _assert_consistent(a)

    letter = docs / "004_a28fd0cbddd6702a.txt"
    letter.write_text(letter.read_text(encoding="utf-8") + "\n\nPostscript: the zebra crossing budget is 17 pounds.\n", encoding="utf-8")
    (docs / "extra.md").write_text("# Extra\n\nThe quokka programme starts in 2031.\n", encoding="utf-8")
    (docs / "broken.pdf").write_bytes(b"%PDF-1.4 this is not really a pdf")
    (docs / "000_e80050a0a2aa5b66.txt").unlink()
    second = a.ingest([docs])
    assert [Path(p).name for p in second.updated] == ["004_a28fd0cbddd6702a.txt"]
    assert [Path(p).name for p in second.added] == ["extra.md"]
    assert [Path(p).name for p in second.removed] == ["000_e80050a0a2aa5b66.txt"]
    assert len(second.failed) == 1 and "broken.pdf" in second.failed[0]["path"] and second.failed[0]["reason"]
    assert second.chunks_removed > 0
    _assert_consistent(a)
    assert {r.source for r in a.store.documents().values()} == {"004_a28fd0cbddd6702a.txt", "extra.md"}
    assert "zebra" in " ".join(p.text for p in a.retrieve("zebra crossing budget", top_k=3))
    assert not any("Patricia Hewitt oversee" in p.text for p in a.retrieve("Chancellor Jeremy Hunt autumn statement", top_k=5))

    third = a.ingest([docs])
    assert third.chunks_added == 0 and len(third.unchanged) == 2 and len(third.failed) == 1


def test_editing_the_manifest_reingests_with_new_metadata(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    shutil.copytree(CORPUS, docs, ignore=shutil.ignore_patterns("*.pdf"))  # the two seeds: quick to re-ingest
    a = Assistant(index_dir=tmp_path / "index")
    a.ingest([docs])
    manifest = docs / "manifest.csv"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("National Health Executive,2022-11", "NHE Online,2022-11"), encoding="utf-8")
    again = a.ingest([docs])
    assert [Path(p).name for p in again.updated] == ["000_e80050a0a2aa5b66.txt"]
    assert {r.publisher for r in a.store.documents().values()} == {"NHE Online", "NHS England"}
    _assert_consistent(a)


def test_other_chunking_settings_reingest_every_document(tmp_path: Path) -> None:
    """An index made with other chunk settings (an older default) is re-made, not silently kept."""
    docs = tmp_path / "docs"
    shutil.copytree(CORPUS, docs, ignore=shutil.ignore_patterns("*.pdf"))
    first = Assistant(index_dir=tmp_path / "index", embed_metadata=("section",)).ingest([docs])
    same = Assistant(index_dir=tmp_path / "index", embed_metadata=("section",)).ingest([docs])
    assert len(first.added) == len(same.unchanged) == 2 and not same.updated
    a = Assistant(index_dir=tmp_path / "index", embed_metadata=("title", "section"))
    again = a.ingest([docs])
    assert len(again.updated) == 2 and not again.unchanged and again.chunks_removed > 0
    _assert_consistent(a)


def test_a_new_parser_version_reingests_that_format_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Files of a format whose parser was bumped are re-parsed at the next ingestion; other formats are kept."""
    from assistant.ingest.loaders import registry

    docs = tmp_path / "docs"
    shutil.copytree(CORPUS, docs, ignore=shutil.ignore_patterns("*.pdf"))
    shutil.copy(Path(__file__).parent / "fixtures" / "pdf" / "dosing-guidance.pdf", docs)
    a = Assistant(index_dir=tmp_path / "index")
    assert len(a.ingest([docs]).added) == 3
    monkeypatch.setitem(registry.PARSER_VERSIONS, "pdf", registry.PARSER_VERSIONS["pdf"] + "-next")
    again = a.ingest([docs])
    assert [Path(p).name for p in again.updated] == ["dosing-guidance.pdf"] and len(again.unchanged) == 2
    _assert_consistent(a)


def test_missing_path_is_a_failure_not_a_crash(tmp_path: Path) -> None:
    a = Assistant(index_dir=tmp_path / "index")
    summary = a.ingest([tmp_path / "nope.txt", CORPUS])
    assert len(summary.added) == CORPUS_DOCS
    assert len(summary.failed) == 1 and "nope.txt" in summary.failed[0]["path"]


@pytest.mark.parametrize("bad", ["chunk_tokens", "top_k"])
def test_invalid_settings_are_rejected(tmp_path: Path, bad: str) -> None:
    from assistant import SettingsError

    with pytest.raises(SettingsError, match=bad):
        Assistant(index_dir=tmp_path, **{bad: 0})
