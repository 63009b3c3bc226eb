"""Users' feedback on answers, kept in SQLite next to the index.

Each ``record`` is one transaction in WAL mode, so a process killed mid-write leaves either the
whole row or nothing. Connections are opened per call: Gradio calls from many threads, and SQLite
serialises writers itself (``busy_timeout`` makes concurrent writers wait instead of failing).

Example::

    >>> from pathlib import Path
    >>> store = FeedbackStore(Path("index/feedback.sqlite3"))
    >>> store.record("Who leads the review?", "Patricia Hewitt ... [1]", "helpful", comment="clear")
    1
    >>> store.export_csv(Path("feedback.csv"))
    1
"""

from __future__ import annotations

import csv
import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

RATINGS = ("helpful", "not_helpful", "wrong_citation")
COLUMNS = ("id", "created_utc", "rating", "question", "answer", "comment", "citations")
MAX_COMMENT_CHARS = 4000
MAX_TEXT_CHARS = 100_000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_utc TEXT NOT NULL,
    rating TEXT NOT NULL CHECK (rating IN ('helpful', 'not_helpful', 'wrong_citation')),
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    comment TEXT,
    citations TEXT NOT NULL DEFAULT '[]'
)
"""


class FeedbackError(ValueError):
    """Feedback cannot be stored as given (bad rating, not text, unreadable file); one-line message."""


class FeedbackStore:
    """Feedback rows (question, answer, rating, optional comment and cited sources) in SQLite.

    Args:
        path: the SQLite file (created with its directory on first write).
    """

    def __init__(self, path: Path) -> None:
        if not isinstance(path, (str, Path)):
            raise FeedbackError(f"path must be a file path, not {type(path).__name__}")
        self.path = Path(path)
        if self.path.is_dir():
            raise FeedbackError(f"feedback path {self.path} is a directory, not a file")

    def __repr__(self) -> str:
        return f"FeedbackStore({str(self.path)!r})"

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)  # autocommit; BEGIN explicitly
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")  # a committed row survives a crash, not only a kill
        conn.execute(_SCHEMA)
        return conn

    def record(
        self,
        question: str,
        answer_text: str,
        rating: str,
        comment: str | None = None,
        citations: list[dict[str, Any]] | None = None,
    ) -> int:
        """Store one piece of feedback in a single transaction; returns its row id."""
        if rating not in RATINGS:
            raise FeedbackError(f"rating must be one of {', '.join(RATINGS)}, got {rating!r}")
        for name, value in (("question", question), ("answer_text", answer_text)):
            if not isinstance(value, str):
                raise FeedbackError(f"{name} must be text, not {type(value).__name__}")
        if comment is not None and not isinstance(comment, str):
            raise FeedbackError(f"comment must be text, not {type(comment).__name__}")
        comment = (comment or "").strip()[:MAX_COMMENT_CHARS] or None
        try:
            cited = json.dumps(list(citations or []), ensure_ascii=False, default=str)
        except (TypeError, ValueError) as exc:
            raise FeedbackError(f"citations must be a list of dicts: {exc}") from None
        created = datetime.now(UTC).isoformat(timespec="seconds")
        with closing(self._connect()) as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                cur = conn.execute(
                    "INSERT INTO feedback (created_utc, rating, question, answer, comment, citations) VALUES (?, ?, ?, ?, ?, ?)",
                    (created, rating, question[:MAX_TEXT_CHARS], answer_text[:MAX_TEXT_CHARS], comment, cited),
                )
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            return int(cur.lastrowid or 0)

    def count(self) -> int:
        """Rows stored (0 when the file does not exist yet)."""
        if not self.path.exists():
            return 0
        with closing(self._connect()) as conn:
            return int(conn.execute("SELECT COUNT(*) FROM feedback").fetchone()[0])

    def rows(self) -> Iterator[tuple[Any, ...]]:
        """Every row, oldest first, in ``COLUMNS`` order."""
        if not self.path.exists():
            return
        with closing(self._connect()) as conn:
            yield from conn.execute(f"SELECT {', '.join(COLUMNS)} FROM feedback ORDER BY id")

    def write_csv(self, out: IO[str]) -> int:
        """Write a header and every row as CSV to an open text stream; returns the rows written."""
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        n = 0
        for row in self.rows():
            writer.writerow(row)
            n += 1
        return n

    def export_csv(self, out: Path) -> int:
        """Write every row to the CSV file ``out`` (UTF-8, header first); returns the rows written."""
        out = Path(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        with out.open("w", newline="", encoding="utf-8") as fh:
            return self.write_csv(fh)
