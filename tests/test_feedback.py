"""Feedback in SQLite (real files, real threads and processes) and its CSV export from the CLI."""

from __future__ import annotations

import csv
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from assistant.serving.cli import main
from assistant.serving.feedback import COLUMNS, FeedbackError, FeedbackStore

CITE = [{"n": 1, "source": "a.txt", "title": "A", "quote": "Quote, with \"quotes\"\nand a newline."}]


def test_record_count_and_export(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "sub" / "feedback.sqlite3")
    assert store.count() == 0
    first = store.record("Who leads?", "Patricia Hewitt. [1]", "helpful", citations=CITE)
    second = store.record("Q2", "A2", "wrong_citation", comment="  [1] is the wrong page  ")
    assert (first, second) == (1, 2) and store.count() == 2
    out = tmp_path / "out.csv"
    assert store.export_csv(out) == 2
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert tuple(rows[0]) == COLUMNS
    assert rows[0]["rating"] == "helpful" and rows[0]["comment"] == "" and "newline" in rows[0]["citations"]
    assert rows[1]["comment"] == "[1] is the wrong page"


def test_wal_mode_is_on(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "f.sqlite3")
    store.record("q", "a", "not_helpful")
    with sqlite3.connect(store.path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"rating": "great"}, "rating must be one of helpful, not_helpful, wrong_citation"),
        ({"question": 3}, "question must be text"),
        ({"comment": ["x"]}, "comment must be text"),
        ({"citations": [{"x": object}]}, None),  # default=str keeps odd values as text: accepted
    ],
)
def test_bad_feedback_is_refused_with_one_line(tmp_path: Path, kwargs: dict, message: str | None) -> None:
    store = FeedbackStore(tmp_path / "f.sqlite3")
    args = {"question": "q", "answer_text": "a", "rating": "helpful", **kwargs}
    if message is None:
        store.record(**args)
        assert store.count() == 1
        return
    with pytest.raises(FeedbackError, match=message):
        store.record(**args)
    assert store.count() == 0


def test_directory_path_is_refused(tmp_path: Path) -> None:
    with pytest.raises(FeedbackError, match="is a directory"):
        FeedbackStore(tmp_path)


def test_concurrent_writers_from_threads_and_processes_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "f.sqlite3"
    store = FeedbackStore(path)
    errors: list[BaseException] = []

    def write(worker: int) -> None:
        try:
            for i in range(25):
                store.record(f"q{worker}-{i}", "a", "helpful")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    script = f"from pathlib import Path\nfrom assistant.serving.feedback import FeedbackStore\ns = FeedbackStore(Path({str(path)!r}))\nfor i in range(25): s.record('p', 'a', 'not_helpful')\n"
    procs = [subprocess.Popen([sys.executable, "-c", script]) for _ in range(2)]
    threads = [threading.Thread(target=write, args=(w,)) for w in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(p.wait(timeout=120) == 0 for p in procs)
    assert not errors
    assert store.count() == 6 * 25 + 2 * 25


def test_cli_export_to_file_and_stdout(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    index = tmp_path / "index"
    FeedbackStore(index / "feedback.sqlite3").record("q", "a", "helpful", comment="good")
    out = tmp_path / "fb.csv"
    assert main(["feedback", "export", "--index", str(index), "--out", str(out)]) == 0
    assert "1 feedback row written to" in capsys.readouterr().err
    assert list(csv.reader(out.open()))[1][2:6] == ["helpful", "q", "a", "good"]
    assert main(["feedback", "export", "--index", str(index)]) == 0
    assert capsys.readouterr().out.splitlines()[0] == ",".join(COLUMNS)


def test_cli_export_mistakes_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["feedback", "export", "--index", str(tmp_path / "none")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("ics-assistant: error: no feedback yet at") and err.count("\n") == 1
    index = tmp_path / "index"
    FeedbackStore(index / "feedback.sqlite3").record("q", "a", "helpful")
    assert main(["feedback", "export", "--index", str(index), "--out", str(tmp_path)]) == 2
    assert "is a directory" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_info:
        main(["feedback"])
    assert exit_info.value.code == 2
