"""Follow-up questions: turn "and what about the CQC?" into a stand-alone search query.

Placeholder until the chat issue lands: the question is searched as asked.
"""

from __future__ import annotations

from collections.abc import Sequence


def condense_question(question: str, history: Sequence[tuple[str, str]]) -> str:
    """The stand-alone query for ``question`` given earlier ``(question, answer)`` turns (pure)."""
    return question
