"""Evaluation question set: data model, loader, validation and evidence matching.

The question set lives in ``eval/questions.jsonl``: one JSON object per line with
the keys

``id``
    unique string, e.g. ``"q001"``.
``question``
    the question as a user would ask it.
``answer``
    a short reference answer (1-2 sentences).
``must_include``
    list of 1-4 short key facts that a correct answer must contain
    (matched case-insensitively after :func:`normalise`); ``[]`` for
    unanswerable questions.
``source_file`` / ``evidence``
    file *name* of the supporting document and a verbatim quote from it
    (both ``null`` for unanswerable questions).
``source_file_2`` / ``evidence_2``
    optional second passage; required for ``multi_hop`` questions.
``type``
    one of :data:`QUESTION_TYPES`.
``split``
    ``"dev"`` (used for tuning) or ``"test"`` (held out); defaults to ``"dev"``.

Evidence is matched against retrieved passages with :func:`contains_evidence`,
which compares :func:`normalise`-d text.  :func:`normalise` is the single
normalisation used everywhere evidence is matched, so that PDF-conversion
artefacts (markdown ``**`` emphasis, ``\\(`` escapes, curly quotes, line wrapping)
do not decide whether a passage counts as a hit.

This module uses the standard library only.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "QUESTION_TYPES",
    "SPLITS",
    "Question",
    "QuestionSetError",
    "contains_evidence",
    "load_questions",
    "normalise",
    "summarise",
]

#: Allowed values of the ``type`` field.
QUESTION_TYPES: tuple[str, ...] = ("factoid", "list", "paraphrase", "multi_hop", "unanswerable")

#: Allowed values of the ``split`` field.
SPLITS: tuple[str, ...] = ("dev", "test")

_REQUIRED_KEYS: tuple[str, ...] = (
    "id",
    "question",
    "answer",
    "must_include",
    "source_file",
    "evidence",
    "type",
)
_OPTIONAL_KEYS: tuple[str, ...] = ("source_file_2", "evidence_2", "split")
_ALLOWED_KEYS = frozenset(_REQUIRED_KEYS + _OPTIONAL_KEYS)
_MAX_MUST_INCLUDE = 4


class QuestionSetError(ValueError):
    """Raised when a question file cannot be read or fails validation.

    The message is a single line of the form ``"<path>:<line>: <problem>"``
    (or ``"<path>: <problem>"`` for file-level problems), suitable for
    printing to a user without a traceback.
    """


# --------------------------------------------------------------------------- #
# Normalisation and evidence matching
# --------------------------------------------------------------------------- #

_CHAR_MAP = str.maketrans(
    {
        # single quotes / apostrophes / primes
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        # double quotes
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        # hyphens and dashes (hyphen, non-breaking hyphen, figure dash,
        # en dash, em dash, horizontal bar, minus sign)
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        # markdown emphasis markers
        "*": None,
    }
)
# A backslash that escapes ASCII punctuation, as in markdown ``\(`` or ``\_``.
_ESCAPE_RE = re.compile(r"\\([!-/:-@\[-`{-~])")
_WHITESPACE_RE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Return ``text`` in the canonical form used to match evidence.

    Steps, in order:

    1. curly quotes and apostrophes become ``'`` / ``"``; en/em dashes and
       similar become ``-``;
    2. markdown emphasis markers ``*`` are removed;
    3. backslashes escaping punctuation are removed (``\\(`` -> ``(``);
    4. every run of whitespace (including newlines and non-breaking spaces)
       becomes one space, and the result is stripped;
    5. the result is case-folded.

    PDF-conversion damage such as ``"wil"`` for ``"will"`` is deliberately
    *not* repaired: evidence quotes must reproduce it.
    """
    text = text.translate(_CHAR_MAP)
    text = _ESCAPE_RE.sub(r"\1", text)
    text = _WHITESPACE_RE.sub(" ", text).strip()
    return text.casefold()


def contains_evidence(passage_text: str, evidence: str) -> bool:
    """Return True if ``evidence`` occurs in ``passage_text`` after :func:`normalise`.

    An evidence string that normalises to the empty string never matches.
    """
    needle = normalise(evidence)
    if not needle:
        return False
    return needle in normalise(passage_text)


# --------------------------------------------------------------------------- #
# Data model
# --------------------------------------------------------------------------- #


@dataclass(frozen=True)
class Question:
    """One evaluation question.

    ``must_include`` is stored as a tuple so that instances are immutable and
    hashable; :meth:`to_dict` turns it back into a list.
    """

    id: str
    question: str
    answer: str
    must_include: tuple[str, ...]
    source_file: str | None
    evidence: str | None
    type: str
    source_file_2: str | None = None
    evidence_2: str | None = None
    split: str = "dev"

    @property
    def answerable(self) -> bool:
        """True unless the question is of type ``"unanswerable"``."""
        return self.type != "unanswerable"

    @property
    def evidence_items(self) -> tuple[tuple[str, str], ...]:
        """The ``(source_file, evidence)`` pairs of this question (0, 1 or 2)."""
        items: list[tuple[str, str]] = []
        if self.source_file is not None and self.evidence is not None:
            items.append((self.source_file, self.evidence))
        if self.source_file_2 is not None and self.evidence_2 is not None:
            items.append((self.source_file_2, self.evidence_2))
        return tuple(items)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-serialisable dict in the ``questions.jsonl`` schema."""
        return {
            "id": self.id,
            "question": self.question,
            "answer": self.answer,
            "must_include": list(self.must_include),
            "source_file": self.source_file,
            "evidence": self.evidence,
            "source_file_2": self.source_file_2,
            "evidence_2": self.evidence_2,
            "type": self.type,
            "split": self.split,
        }


# --------------------------------------------------------------------------- #
# Loading and validation
# --------------------------------------------------------------------------- #


class _LineProblem(Exception):
    """Internal: a validation problem on the current line."""


def _require_text(record: dict[str, Any], key: str) -> str:
    value = record[key]
    if not isinstance(value, str):
        raise _LineProblem(f"{key!r} must be a string, got {type(value).__name__}")
    if not value.strip():
        raise _LineProblem(f"{key!r} must not be empty")
    return value


def _optional_text(record: dict[str, Any], key: str) -> str | None:
    value = record.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise _LineProblem(f"{key!r} must be a string or null, got {type(value).__name__}")
    if not value.strip():
        raise _LineProblem(f"{key!r} must not be empty (use null instead)")
    return value


def _check_file_name(key: str, value: str | None) -> None:
    if value is not None and ("/" in value or "\\" in value):
        raise _LineProblem(f"{key!r} must be a file name without a directory, got {value!r}")


def _parse_record(record: Any) -> Question:
    """Validate one decoded JSON value and build a :class:`Question`."""
    if not isinstance(record, dict):
        raise _LineProblem(f"expected a JSON object, got {type(record).__name__}")

    missing = [key for key in _REQUIRED_KEYS if key not in record]
    if missing:
        raise _LineProblem(f"missing required key(s): {', '.join(missing)}")
    unknown = sorted(set(record) - _ALLOWED_KEYS)
    if unknown:
        raise _LineProblem(f"unknown key(s): {', '.join(unknown)}")

    qid = _require_text(record, "id")
    question = _require_text(record, "question")
    answer = _require_text(record, "answer")

    qtype = record["type"]
    if qtype not in QUESTION_TYPES:
        raise _LineProblem(f"'type' must be one of {', '.join(QUESTION_TYPES)}; got {qtype!r}")

    split = record.get("split", "dev")
    if split not in SPLITS:
        raise _LineProblem(f"'split' must be one of {', '.join(SPLITS)}; got {split!r}")

    must_include = record["must_include"]
    if not isinstance(must_include, list) or not all(isinstance(item, str) and item.strip() for item in must_include):
        raise _LineProblem("'must_include' must be a list of non-empty strings")

    source_file = _optional_text(record, "source_file")
    evidence = _optional_text(record, "evidence")
    source_file_2 = _optional_text(record, "source_file_2")
    evidence_2 = _optional_text(record, "evidence_2")
    for key, value in (("source_file", source_file), ("source_file_2", source_file_2)):
        _check_file_name(key, value)

    if (source_file_2 is None) != (evidence_2 is None):
        raise _LineProblem("'source_file_2' and 'evidence_2' must be given together")

    if qtype == "unanswerable":
        if source_file is not None or evidence is not None:
            raise _LineProblem("unanswerable questions must have null 'source_file' and 'evidence'")
        if source_file_2 is not None:
            raise _LineProblem("unanswerable questions must not have 'source_file_2'/'evidence_2'")
        if must_include:
            raise _LineProblem("unanswerable questions must have an empty 'must_include'")
    else:
        if source_file is None or evidence is None:
            raise _LineProblem(
                f"{qtype} questions need non-null 'source_file' and 'evidence' "
                "(only unanswerable questions may leave them null)"
            )
        if not 1 <= len(must_include) <= _MAX_MUST_INCLUDE:
            raise _LineProblem(
                f"'must_include' must list 1-{_MAX_MUST_INCLUDE} items for answerable questions, "
                f"got {len(must_include)}"
            )
        if qtype == "multi_hop" and source_file_2 is None:
            raise _LineProblem("multi_hop questions need 'source_file_2' and 'evidence_2'")

    return Question(
        id=qid,
        question=question,
        answer=answer,
        must_include=tuple(must_include),
        source_file=source_file,
        evidence=evidence,
        type=qtype,
        source_file_2=source_file_2,
        evidence_2=evidence_2,
        split=split,
    )


def load_questions(path: str | Path) -> list[Question]:
    """Load and validate a JSONL question file.

    Blank lines are ignored.  Each other line must be a JSON object following
    the schema described in the module docstring; ids must be unique and the
    file must contain at least one question.

    Raises:
        QuestionSetError: on the first problem found, with a one-line message
            naming the file, the line number and the problem.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise QuestionSetError(f"{path}: cannot read question file: {exc}") from None

    questions: list[Question] = []
    first_line_of_id: dict[str, int] = {}
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise QuestionSetError(f"{path}:{lineno}: invalid JSON: {exc.msg} (column {exc.colno})") from None
        try:
            question = _parse_record(record)
        except _LineProblem as exc:
            qid = record.get("id") if isinstance(record, dict) else None
            where = f" (id {qid!r})" if isinstance(qid, str) else ""
            raise QuestionSetError(f"{path}:{lineno}: {exc}{where}") from None
        if question.id in first_line_of_id:
            raise QuestionSetError(
                f"{path}:{lineno}: duplicate id {question.id!r} (first used on line {first_line_of_id[question.id]})"
            )
        first_line_of_id[question.id] = lineno
        questions.append(question)

    if not questions:
        raise QuestionSetError(f"{path}: no questions found")
    return questions


# --------------------------------------------------------------------------- #
# Summaries
# --------------------------------------------------------------------------- #


def summarise(questions: Sequence[Question]) -> dict[str, dict[str, int]]:
    """Count questions per type, per split and per document.

    A question counts towards every document it cites (``source_file`` and
    ``source_file_2``); unanswerable questions are counted under ``"(none)"``.
    """
    by_doc: Counter[str] = Counter()
    for question in questions:
        files = {name for name, _ in question.evidence_items}
        if not files:
            by_doc["(none)"] += 1
        for name in files:
            by_doc[name] += 1
    return {
        "type": dict(Counter(q.type for q in questions)),
        "split": dict(Counter(q.split for q in questions)),
        "document": dict(sorted(by_doc.items())),
    }


def main(argv: Iterable[str] | None = None) -> int:
    """Validate question files given on the command line and print a summary.

    Usage: ``python -m assistant.questions [eval/questions.jsonl ...]``.
    Returns a process exit status (0 when every file is valid).
    """
    paths = list(argv if argv is not None else sys.argv[1:]) or ["eval/questions.jsonl"]
    status = 0
    for name in paths:
        try:
            questions = load_questions(name)
        except QuestionSetError as exc:
            print(f"error: {exc}", file=sys.stderr)
            status = 1
            continue
        print(f"{name}: {len(questions)} questions")
        for heading, counts in summarise(questions).items():
            print(f"  {heading}: " + ", ".join(f"{k}={v}" for k, v in counts.items()))
    return status


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
