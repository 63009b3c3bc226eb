"""The same file at two paths is indexed once (``ingest/copies.py``), on the real model and real Chroma."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import CORPUS, LETTER, NEWS

from assistant import Assistant
from assistant.ingest.copies import COPY_STATUS, content_key, plan_copies
from assistant.ingest.store import DocumentRecord


# -- the plan (pure) ------------------------------------------------------------------------------
def test_an_indexed_path_keeps_its_content_and_the_first_found_path_holds_a_new_one() -> None:
    plan = plan_copies([("/b/x", "k1"), ("/b/y", "k2"), ("/c/y", "k2"), ("/c/x", "k1")], {"k1": "/a/x"}, lambda p: True)
    assert plan.copies == {"/b/x": "/a/x", "/c/y": "/b/y", "/c/x": "/a/x"}
    assert plan.holders == {"k1": "/a/x", "k2": "/b/y"} and not plan.replaced


def test_an_indexed_path_whose_file_is_gone_gives_its_content_to_the_first_copy_found() -> None:
    plan = plan_copies([("/new/x", "k1"), ("/new2/x", "k1")], {"k1": "/old/x"}, lambda p: not p.startswith("/old"))
    assert plan.replaced == {"/old/x": "/new/x"} and plan.copies == {"/new2/x": "/new/x"}


def test_an_unknown_content_key_never_makes_a_copy() -> None:
    """Records written before content keys existed have ``""``: two of them are not copies of each other."""
    plan = plan_copies([("/a/x", ""), ("/b/x", "")], {"": "/c/x"}, lambda p: True)
    assert not plan.copies and not plan.holders


def test_the_content_key_is_the_bytes_and_the_format() -> None:
    assert content_key(".PDF", "ab") == content_key(".pdf", "ab") != content_key(".txt", "ab") != content_key(".txt", "ac")


# -- ingestion ------------------------------------------------------------------------------------
def _seeds(folder: Path) -> Path:
    shutil.copytree(CORPUS, folder, ignore=shutil.ignore_patterns("*.pdf"))  # the two seeds: quick to ingest
    return folder


def _indexed(a: Assistant) -> set[str]:
    return set(a.store.documents())


def _assert_consistent(a: Assistant) -> None:
    """Every stored chunk belongs to an indexed document; copies have records but no chunks."""
    docs = a.store.documents()
    metas = a.store.chunks.get(include=["metadatas"])["metadatas"] or []
    assert {m["path"] for m in metas} == set(docs)
    assert len(metas) == sum(r.chunks for r in docs.values())
    assert not set(a.store.copies()) & set(docs)


def test_the_same_file_in_two_folders_of_one_ingestion_is_indexed_once(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    one, two = _seeds(docs / "one"), _seeds(docs / "two")
    a = Assistant(index_dir=tmp_path / "index")
    first = a.ingest([docs])
    assert sorted(Path(p).parent.name for p in first.added) == ["one", "one"]
    assert sorted(Path(c["path"]).parent.name for c in first.copies) == ["two", "two"]
    assert {c["copy_of"] for c in first.copies} == {str((one / NEWS).resolve()), str((one / LETTER).resolve())}
    assert _indexed(a) == {str((one / NEWS).resolve()), str((one / LETTER).resolve())}
    assert set(a.store.copies()) == {str((two / NEWS).resolve()), str((two / LETTER).resolve())}
    assert "2 skipped as copies" in str(first).splitlines()[0]
    assert f"copy: {two / NEWS}: same content as {(one / NEWS).resolve()}, indexed once" in str(first)
    _assert_consistent(a)
    status = a.status()  # the copies are listed where the documents are, not only in the ingestion's report
    assert {c["path"] for c in status.copies} == {str((two / NEWS).resolve()), str((two / LETTER).resolve())}
    assert f"copy: {(two / NEWS).resolve()}: same content as {(one / NEWS).resolve()}" in str(status)
    assert str((two / LETTER).resolve()) in status._repr_html_()

    state = a.store.state(fresh=True)
    again = a.ingest([docs])  # an unchanged folder with copies writes nothing
    assert len(again.unchanged) == 2 and len(again.copies) == 2 and not (again.added or again.updated or again.removed)
    assert a.store.state(fresh=True) == state and again.chunks_added == again.chunks_removed == 0


def test_a_copied_folder_adds_nothing_and_the_copy_is_indexed_when_the_original_goes(tmp_path: Path) -> None:
    docs = _seeds(tmp_path / "docs")
    a = Assistant(index_dir=tmp_path / "index")
    a.ingest([docs])
    chunks = a.store.count()
    copy = tmp_path / "copy"
    shutil.copytree(docs, copy)
    second = a.ingest([copy])
    assert not second.added and len(second.copies) == 2 and second.chunks_added == 0
    assert a.store.count() == chunks and len(_indexed(a)) == 2

    (docs / NEWS).unlink()  # the indexed path disappears; only its own folder is ingested again
    third = a.ingest([docs])
    assert third.removed == [str((docs / NEWS).resolve())] and third.added == [str((copy / NEWS).resolve())]
    assert _indexed(a) == {str((docs / LETTER).resolve()), str((copy / NEWS).resolve())}
    assert a.store.count() == chunks  # the same text, under the copy's path: nothing lost
    assert "Patricia Hewitt" in " ".join(p.text for p in a.retrieve("Who will oversee the independent review of ICSs?", top_k=3))
    _assert_consistent(a)


def test_a_moved_folder_is_indexed_at_its_new_path(tmp_path: Path) -> None:
    docs = _seeds(tmp_path / "docs")
    a = Assistant(index_dir=tmp_path / "index")
    a.ingest([docs])
    moved = tmp_path / "moved"
    docs.rename(moved)
    summary = a.ingest([moved])  # the old paths are outside this ingestion, and gone
    assert len(summary.added) == 2 and not summary.copies and len(summary.removed) == 2
    assert _indexed(a) == {str((moved / NEWS).resolve()), str((moved / LETTER).resolve())}
    _assert_consistent(a)


def test_an_edited_copy_is_another_document_and_an_edited_original_hands_over_to_its_copy(tmp_path: Path) -> None:
    docs = _seeds(tmp_path / "docs")
    copy = tmp_path / "copy"
    shutil.copytree(docs, copy)
    a = Assistant(index_dir=tmp_path / "index")
    a.ingest([docs, copy])
    assert len(_indexed(a)) == 2

    edited = copy / LETTER
    edited.write_text(edited.read_text(encoding="utf-8") + "\n\nPostscript: the zebra crossing budget is 17 pounds.\n", encoding="utf-8")
    summary = a.ingest([copy])
    assert summary.added == [str(edited.resolve())] and len(summary.copies) == 1
    assert len(_indexed(a)) == 3

    original = docs / NEWS
    original.write_text(original.read_text(encoding="utf-8") + "\n\nPostscript: the quokka programme starts in 2031.\n", encoding="utf-8")
    summary = a.ingest([docs])  # the copy sits outside this ingestion: it is indexed itself, nothing lost
    assert summary.updated == [str(original.resolve())] and summary.added == [str((copy / NEWS).resolve())]
    assert len(_indexed(a)) == 4 and not a.store.copies()
    _assert_consistent(a)


def test_a_file_edited_into_a_copy_leaves_the_index_and_an_old_index_converges(tmp_path: Path) -> None:
    docs = _seeds(tmp_path / "docs")
    a = Assistant(index_dir=tmp_path / "index")
    a.ingest([docs])
    # An index written before content keys: its records have none, so a copied folder was indexed again.
    a.store.set_standing([DocumentRecord(**{**r.to_metadata(), "content_key": ""}) for r in a.store.documents().values()])
    copy = tmp_path / "copy"
    shutil.copytree(docs, copy)
    assert len(a.ingest([copy]).added) == 2 and len(_indexed(a)) == 4

    summary = a.ingest([docs])  # fills in the keys; the copied folder's documents were indexed first
    assert len(summary.copies) == 2 and summary.chunks_removed > 0
    assert _indexed(a) == {str((copy / NEWS).resolve()), str((copy / LETTER).resolve())}
    assert {r.status for r in a.store.copies().values()} == {COPY_STATUS}
    _assert_consistent(a)


def test_the_cli_reports_each_copy_on_one_line_and_whose_manifest_applies(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from assistant.serving.cli import main

    docs = _seeds(tmp_path / "docs")
    copy = tmp_path / "copy"
    shutil.copytree(docs, copy)
    manifest = copy / "manifest.csv"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("National Health Executive,2022-11", "NHE Online,2022-12"),
                        encoding="utf-8")
    index = str(tmp_path / "index")
    assert main(["ingest", "--quiet", "--index", index, str(docs)]) == 0
    capsys.readouterr()
    assert main(["ingest", "--quiet", "--index", index, str(copy)]) == 0
    captured = capsys.readouterr()
    lines = [line for line in captured.err.splitlines() if "same content as" in line]
    assert len(lines) == 2 and "Traceback" not in captured.err
    differs = [line for line in lines if NEWS in line.split(":")[1]]
    assert len(differs) == 1 and "manifest entry differs: the indexed file's title, publisher and date apply" in differs[0]
    assert "2 skipped as copies" in captured.out
    assert {r.publisher for r in Assistant(index_dir=index).store.documents().values()} == {"National Health Executive", "NHS England"}


def test_a_copy_of_a_file_that_cannot_be_read_is_reported_failed_too(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    for folder in ("a", "b"):
        (docs / folder).mkdir(parents=True)
        (docs / folder / "broken.pdf").write_bytes(b"%PDF-1.4 this is not really a pdf")
    summary = Assistant(index_dir=tmp_path / "index").ingest([docs])
    assert [Path(f["path"]).parent.name for f in summary.failed] == ["a", "b"] and not summary.copies
    assert summary.failed[1]["reason"].startswith(f"same content as {(docs / 'a' / 'broken.pdf').resolve()}: ")
