"""Question sets: the data model, a lenient loader, authoring rules and evidence matching.

A question file is JSON Lines, one question per line. Only ``question`` is required; every other
field is used when present:

``id``
    unique string (numbers are turned into strings; a missing id becomes ``<file stem>:<line>``).
``question``
    the question as a user would ask it.
``answer``
    a reference answer: short (``eval/questions.jsonl``) or long (the "golden questions" style).
``must_include``
    short key facts a correct answer must contain (matched after :func:`normalise`).
``source_file`` / ``evidence`` / ``page``
    file *name* of a supporting document, a verbatim quote from it, and the physical 1-based page
    the quote is on (PDFs). With ``page``, a retrieved passage is a hit only if it comes from that
    file and spans that page.
``source_file_2`` / ``evidence_2`` / ``page_2``
    a second passage (multi-hop and list questions).
``type``
    :data:`QUESTION_TYPES`, or any other label (kept, reported as its own group).
    ``"unanswerable"`` questions have no evidence and expect a refusal. Default ``"unspecified"``.
``split``
    the older per-question ``"dev"``/``"test"`` label (default ``"dev"``); the by-document
    tune/confirm split lives in ``eval/splits.json`` (``assistant.evaluation.splits``).
``near_file``
    unanswerable questions: the document they nearly match (decides their tune/confirm half).
``period``
    the period a figure is for (e.g. ``"2026/27"``), for questions about current figures.

Other fields are kept in :attr:`Question.extra` and carried into ``results.jsonl``; the loader
logs one warning per file listing them. Field names of other tools are read through
:data:`ALIASES` (LlamaIndex's ``query`` / ``reference_answer``, ragas's ``user_input`` /
``reference``). Wrong types and contradictions (an unanswerable question with evidence) are errors
with a one-line message; the writing rules of our own sets (1-4 ``must_include`` items, two
passages for multi-hop) are checked by :func:`lint`, not by the loader.

Evidence is matched against passages by :func:`contains_evidence` on the text as a reader sees it
(:func:`normalise` on both sides).
"""

from __future__ import annotations

import json
import logging
import re
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "ALIASES",
    "QUESTION_TYPES",
    "Evidence",
    "Question",
    "QuestionSetError",
    "contains_evidence",
    "lint",
    "load_question_files",
    "load_questions",
    "normalise",
    "summarise",
]

logger = logging.getLogger(__name__)

#: The question types our own sets use; any other label is kept as it is.
QUESTION_TYPES: tuple[str, ...] = ("factoid", "list", "table", "paraphrase", "multi_hop", "unanswerable")
UNSPECIFIED = "unspecified"

#: Other tools' field names -> ours (used only when our own name is absent; otherwise kept as extra).
ALIASES: dict[str, str] = {
    "query": "question",  # LlamaIndex LabelledRagDataset
    "user_input": "question",  # ragas
    "reference_answer": "answer",  # LlamaIndex
    "reference": "answer",  # ragas
    "ground_truth": "answer",  # older ragas
}
_KNOWN = frozenset({
    "id", "question", "answer", "must_include", "source_file", "evidence", "page", "source_file_2",
    "evidence_2", "page_2", "type", "split", "near_file", "period",
})
_MAX_MUST_INCLUDE = 4


class QuestionSetError(ValueError):
    """A question file cannot be read or holds a malformed line: ``"<path>:<line>: <problem>"``."""


# -- the text as a reader sees it ------------------------------------------------------------------
_CHAR_MAP = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",  # quotes, primes
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
        # hyphen, non-breaking hyphen, figure dash, en dash, em dash, horizontal bar, minus
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
        # PDF ligatures, as a reader reads them
        "\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl", "\ufb05": "st", "\ufb06": "st",
        "\u00ad": None, "\u200b": None, "\u200c": None, "\u200d": None, "\u2060": None, "\ufeff": None,  # invisible
        "*": None,  # Markdown emphasis (**bold**, *italic*)
    }
)
# Markdown emphasis with underscores (_italic_, __bold__): underscores at a word's edge, not escaped.
_UNDERSCORE_EMPHASIS = re.compile(r"(?<![\w\\])_+|(?<=\w)_+(?!\w)")
# A backslash escaping ASCII punctuation, as in Markdown's ``\(`` or ``\_``.
_ESCAPE_RE = re.compile(r"\\([!-/:-@\[-`{-~])")
# A table cell boundary as the DOCX and HTML loaders write it ("a | b"): layout, not text.
_CELL_RE = re.compile(r"[ \t]+\|(?:[ \t]+|$)|^\|[ \t]+", re.M)
_WHITESPACE_RE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """``text`` as a reader sees it, in the one form used wherever evidence or facts are matched (pure).

    Curly quotes become straight, dashes ``-``; ligatures (ﬁ ﬂ ﬀ ﬃ ﬄ) are spelt out; soft hyphens
    and zero-width characters go; Markdown emphasis (``*``, ``_`` at a word's edge), escapes
    (``\\(`` -> ``(``) and table-cell boundaries (`` | ``) go; whitespace runs become one space;
    the result is case-folded. PDF conversion damage ("wil" for "will") is not repaired here; evidence
    and key facts are matched in :func:`match_form`, which reads both forms alike.
    """
    text = text.translate(_CHAR_MAP)
    text = _UNDERSCORE_EMPHASIS.sub("", text)
    text = _CELL_RE.sub(" ", text)
    text = _ESCAPE_RE.sub(r"\1", text)
    text = _WHITESPACE_RE.sub(" ", text).strip()
    return text.casefold()


_DOUBLE_L = re.compile(r"l+ ?")


def match_form(text: str) -> str:
    """:func:`normalise`, then "ll" and "l " both read as "l": the form a quote or a key fact is looked for in (pure).

    Text converted from PDF may read "wil be", "col aboration" where the loader now restores "will be",
    "collaboration" (``ingest/loaders/dropped_ll.py``); a quote copied from either form finds the other.
    """
    return _DOUBLE_L.sub("l", normalise(text))


def contains_evidence(passage_text: str, evidence: str) -> bool:
    """Does ``evidence`` occur in ``passage_text``, both in :func:`match_form`? An empty quote never matches."""
    needle = match_form(evidence)
    return bool(needle) and needle in match_form(passage_text)


# -- the data model -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Evidence:
    """One quoted passage a retrieved chunk must hold (and the file and page it must come from)."""

    text: str
    source_file: str | None = None
    page: int | None = None


@dataclass(frozen=True)
class Question:
    """One evaluation question (field meanings: the module docstring)."""

    id: str
    question: str
    answer: str | None = None
    must_include: tuple[str, ...] = ()
    source_file: str | None = None
    evidence: str | None = None
    type: str = UNSPECIFIED
    source_file_2: str | None = None
    evidence_2: str | None = None
    split: str = "dev"
    page: int | None = None
    page_2: int | None = None
    near_file: str | None = None
    period: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, hash=False)
    """Fields the loader does not know, kept as they were and written into the results."""
    origin: str = field(default="", compare=False)
    """The question file it came from (its name), for runs over several files."""

    @property
    def answerable(self) -> bool:
        return self.type != "unanswerable"

    @property
    def quotes(self) -> tuple[Evidence, ...]:
        """The quoted passages of this question (0, 1 or 2), with their files and pages."""
        items = [Evidence(self.evidence, self.source_file, self.page)] if self.evidence else []
        if self.evidence_2:
            items.append(Evidence(self.evidence_2, self.source_file_2, self.page_2))
        return tuple(items)

    @property
    def evidence_items(self) -> tuple[tuple[str | None, str], ...]:
        """``(source_file, evidence)`` pairs (the older view of :attr:`quotes`)."""
        return tuple((e.source_file, e.text) for e in self.quotes)

    @property
    def documents(self) -> tuple[str, ...]:
        """The files this question is about: its sources, or the one an unanswerable question is near."""
        names = [n for n in (self.source_file, self.source_file_2) if n] or ([self.near_file] if self.near_file else [])
        return tuple(dict.fromkeys(names))

    def to_dict(self) -> dict[str, Any]:
        """The question in the file schema: known fields that are set, then the extra ones."""
        out: dict[str, Any] = {"id": self.id, "question": self.question, "answer": self.answer,
                               "must_include": list(self.must_include), "source_file": self.source_file,
                               "evidence": self.evidence}
        for key in ("page", "source_file_2", "evidence_2", "page_2", "near_file", "period"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        out.update(type=self.type, split=self.split)
        out.update(self.extra)
        return out


# -- loading ---------------------------------------------------------------------------------------
class _LineProblem(Exception):
    """A problem with the current line."""


def _text(record: dict[str, Any], key: str, required: bool = False) -> str | None:
    value = record.get(key)
    if value is None:
        if required:
            raise _LineProblem(f"missing {key!r}")
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool) and key in ("id", "period"):
        value = str(value)
    if not isinstance(value, str):
        raise _LineProblem(f"{key!r} must be a string, got {type(value).__name__}")
    if not value.strip():
        if required:
            raise _LineProblem(f"{key!r} must not be empty")
        return None
    return value


def _page(record: dict[str, Any], key: str) -> int | None:
    value = record.get(key)
    if value is None:
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise _LineProblem(f"{key!r} must be a page number (1 or more), got {value!r}")
    return value


def _file_name(record: dict[str, Any], key: str) -> str | None:
    value = _text(record, key)
    if value is not None and ("/" in value or "\\" in value):
        raise _LineProblem(f"{key!r} must be a file name without a directory, got {value!r}")
    return value


def _parse_record(record: Any, default_id: str, origin: str) -> Question:
    """Build a :class:`Question` from one decoded JSON value (raises ``_LineProblem``)."""
    if not isinstance(record, dict):
        raise _LineProblem(f"expected a JSON object, got {type(record).__name__}")
    record = dict(record)
    extra = {k: v for k, v in record.items() if k not in _KNOWN}
    for alias, ours in ALIASES.items():
        if alias in extra and ours not in record:
            record[ours] = extra.pop(alias)
    qtype = _text(record, "type") or UNSPECIFIED
    must_include = record.get("must_include") or []
    if not isinstance(must_include, list) or not all(isinstance(m, str) and m.strip() for m in must_include):
        raise _LineProblem("'must_include' must be a list of non-empty strings")
    q = Question(
        id=_text(record, "id") or default_id,
        question=_text(record, "question", required=True) or "",
        answer=_text(record, "answer"),
        must_include=tuple(must_include),
        source_file=_file_name(record, "source_file"),
        evidence=_text(record, "evidence"),
        type=qtype,
        source_file_2=_file_name(record, "source_file_2"),
        evidence_2=_text(record, "evidence_2"),
        split=_text(record, "split") or "dev",
        page=_page(record, "page"),
        page_2=_page(record, "page_2"),
        near_file=_file_name(record, "near_file"),
        period=_text(record, "period"),
        extra=extra,
        origin=origin,
    )
    for page, source, evidence, n in ((q.page, q.source_file, q.evidence, ""), (q.page_2, q.source_file_2, q.evidence_2, "_2")):
        if page is not None and (source is None or evidence is None):
            raise _LineProblem(f"'page{n}' needs 'source_file{n}' and 'evidence{n}' (the page of which quote?)")
    if not q.answerable and (q.quotes or q.must_include):
        raise _LineProblem("unanswerable questions must have no evidence and an empty 'must_include'")
    return q


def load_questions(path: str | Path) -> list[Question]:
    """Read a question file (JSON Lines; blank lines ignored). Unknown fields are kept, with one warning.

    Raises:
        QuestionSetError: unreadable file, bad JSON, a malformed line, a duplicate id or no questions
            (one line: path, line number, problem).
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise QuestionSetError(f"{path}: cannot read question file: {exc}") from None
    questions: list[Question] = []
    first_line: dict[str, int] = {}
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise QuestionSetError(f"{path}:{lineno}: invalid JSON: {exc.msg} (column {exc.colno})") from None
        try:
            question = _parse_record(record, f"{path.stem}:{lineno}", path.name)
        except _LineProblem as exc:
            qid = record.get("id") if isinstance(record, dict) else None
            where = f" (id {qid!r})" if isinstance(qid, (str, int)) else ""
            raise QuestionSetError(f"{path}:{lineno}: {exc}{where}") from None
        if question.id in first_line:
            raise QuestionSetError(f"{path}:{lineno}: duplicate id {question.id!r} (first used on line {first_line[question.id]})")
        first_line[question.id] = lineno
        questions.append(question)
    if not questions:
        raise QuestionSetError(f"{path}: no questions found")
    note = _unknown_note(questions)
    if note:
        logger.warning("%s: %s", path, note)
    return questions


def load_question_files(paths: Sequence[str | Path]) -> list[Question]:
    """Several question files as one set; an id used in two files is an error (results are keyed by id)."""
    seen: dict[str, str] = {}
    out: list[Question] = []
    for path in paths:
        for q in load_questions(path):
            if q.id in seen:
                raise QuestionSetError(f"{path}: id {q.id!r} is also used in {seen[q.id]}; ids must be unique across files")
            seen[q.id] = str(path)
            out.append(q)
    return out


def _unknown_note(questions: Sequence[Question]) -> str:
    """One line naming the unknown fields and types kept (empty when there are none)."""
    fields = Counter(k for q in questions for k in q.extra)
    types = Counter(q.type for q in questions if q.type not in QUESTION_TYPES and q.type != UNSPECIFIED)
    parts = []
    if fields:
        parts.append("unknown field(s) kept and carried into the results: "
                     + ", ".join(f"{k} ({n})" for k, n in sorted(fields.items())))
    if types:
        parts.append("unknown type(s) kept: " + ", ".join(f"{t} ({n})" for t, n in sorted(types.items())))
    return "; ".join(parts)


# -- writing rules of our own sets ----------------------------------------------------------------
def lint(question: Question) -> list[str]:
    """Our authoring rules (not enforced on other people's files): the problems of one question."""
    q, problems = question, []
    if q.type not in QUESTION_TYPES:
        problems.append(f"type {q.type!r} is not one of {', '.join(QUESTION_TYPES)}")
    if q.answerable:
        if not q.source_file or not q.evidence:
            problems.append("answerable questions need 'source_file' and 'evidence'")
        if not 1 <= len(q.must_include) <= _MAX_MUST_INCLUDE:
            problems.append(f"'must_include' must list 1-{_MAX_MUST_INCLUDE} items, got {len(q.must_include)}")
        if not q.answer:
            problems.append("no reference 'answer'")
    if q.type == "multi_hop" and len(q.quotes) < 2:
        problems.append("multi_hop questions need 'source_file_2' and 'evidence_2'")
    if (q.source_file_2 is None) != (q.evidence_2 is None):
        problems.append("'source_file_2' and 'evidence_2' go together")
    if q.extra:
        problems.append(f"unknown field(s): {', '.join(sorted(q.extra))}")
    return problems


def summarise(questions: Sequence[Question]) -> dict[str, dict[str, int]]:
    """Questions per type, per split and per document (a question counts for each document it cites)."""
    by_doc: Counter[str] = Counter()
    for q in questions:
        files = {e.source_file for e in q.quotes if e.source_file}
        by_doc.update(files or {"(none)"})
    return {"type": dict(Counter(q.type for q in questions)), "split": dict(Counter(q.split for q in questions)),
            "document": dict(sorted(by_doc.items()))}


def main(argv: Iterable[str] | None = None) -> int:
    """``python -m assistant.evaluation.questions FILE...``: load, apply :func:`lint`, print counts; 1 on problems."""
    logging.basicConfig(level=logging.WARNING, format="warning: %(message)s")
    paths = list(argv if argv is not None else sys.argv[1:]) or ["eval/questions.jsonl"]
    status = 0
    for name in paths:
        try:
            questions = load_questions(name)
        except QuestionSetError as exc:
            print(f"error: {exc}", file=sys.stderr)
            status = 1
            continue
        for q in questions:
            for problem in lint(q):
                print(f"{name}: {q.id}: {problem}", file=sys.stderr)
                status = 1
        print(f"{name}: {len(questions)} questions")
        for heading, counts in summarise(questions).items():
            print(f"  {heading}: " + ", ".join(f"{k}={v}" for k, v in counts.items()))
    return status


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
