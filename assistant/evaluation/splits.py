"""By-document splits: tune on some documents, confirm on others (``eval/splits.json``, docs/devset.md).

The file maps each document (file name) to ``"tune"`` or ``"confirm"``, and may map question ids
to the document an unanswerable question is near (for question files without ``near_file``)::

    {"documents": {"a.pdf": "tune", "b.md": "confirm"}, "near": {"q003": "b.md"}}

A question belongs to the half of its documents; one whose documents fall in different halves
counts as ``"confirm"`` (it was not wholly tuned on); one whose documents have no half is left out
of both (reported as ``"unassigned"``).

Example::

    >>> splits = DocumentSplits.load("eval/splits.json")
    >>> splits.half(question)
    'tune'
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.evaluation.questions import Question

HALVES = ("tune", "confirm")
UNASSIGNED = "unassigned"


class SplitsError(ValueError):
    """The splits file cannot be read or is malformed (one line)."""


@dataclass(frozen=True)
class DocumentSplits:
    """Which half each document is in."""

    documents: dict[str, str] = field(default_factory=dict)
    near: dict[str, str] = field(default_factory=dict)
    """Question id -> the document an unanswerable question is near."""
    source: str = ""

    @classmethod
    def load(cls, path: str | Path) -> DocumentSplits:
        path = Path(path)
        try:
            data: Any = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise SplitsError(f"{path}: cannot read the splits file: {exc}") from None
        documents = data.get("documents") if isinstance(data, dict) else None
        near = data.get("near", {}) if isinstance(data, dict) else None
        if not isinstance(documents, dict) or not isinstance(near, dict):
            raise SplitsError(f"{path}: expected {{\"documents\": {{file: \"tune\"|\"confirm\"}}, \"near\": {{id: file}}}}")
        bad = sorted({str(v) for v in documents.values()} - set(HALVES))
        if bad:
            raise SplitsError(f"{path}: document halves must be 'tune' or 'confirm', got {', '.join(map(repr, bad))}")
        return cls({str(k): str(v) for k, v in documents.items()}, {str(k): str(v) for k, v in near.items()}, str(path))

    def half(self, question: Question) -> str:
        """``"tune"``, ``"confirm"`` or ``"unassigned"`` (pure)."""
        names = list(question.documents) or ([self.near[question.id]] if question.id in self.near else [])
        halves = {self.documents.get(n) for n in names}
        if not names or None in halves:
            return UNASSIGNED
        return "tune" if halves == {"tune"} else "confirm"
