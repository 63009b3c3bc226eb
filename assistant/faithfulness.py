"""Faithfulness: is each claim of an answer supported by the passages it rests on?

INTERFACE STUB (owned by the evaluation issue, which replaces the scoring): the class and
method signatures below are what the generative answerer and the evaluation runner call.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from .chunking import split_sentences
from .lexical import terms
from .results import _Data


@dataclass
class ClaimCheck(_Data):
    """One claim and the verdict on it."""

    claim: str
    supported: bool
    score: float
    """Support in [0, 1]."""
    reasons: list[str] = field(default_factory=list)
    """Why it is unsupported (e.g. "number 42 not in the passages")."""


@dataclass
class FaithfulnessResult(_Data):
    """Share of supported claims; never NaN (``score`` is None with ``error`` set if unscorable)."""

    score: float | None
    supported: bool
    claims: list[ClaimCheck] = field(default_factory=list)
    error: str | None = None


class FaithfulnessChecker:
    """Checks claims against evidence texts without an LLM.

    Example::

        >>> checker = FaithfulnessChecker()
        >>> checker.check("It has 42 ICBs.", ["There are 42 ICBs in England."]).score
        1.0
    """

    def __init__(self, embed_model: object | None = None, threshold: float = 0.5) -> None:
        self._embed = embed_model
        self.threshold = threshold

    def check_claim(self, claim: str, evidence: Sequence[str]) -> ClaimCheck:
        """Verdict on one claim against the passages it cites."""
        words = terms(claim)
        pool = set().union(*(terms(e) for e in evidence)) if evidence else set()
        score = len([w for w in words if w in pool]) / len(words) if words else 1.0
        ok = score >= self.threshold
        return ClaimCheck(claim, ok, score, [] if ok else ["few of its words are in the passages"])

    def check(self, answer: str, context: str | Sequence[str]) -> FaithfulnessResult:
        """Split ``answer`` into claims and check each against all of ``context``."""
        evidence = [context] if isinstance(context, str) else list(context)
        claims = [answer[a:b].strip() for a, b in split_sentences(answer) if answer[a:b].strip()]
        if not claims:
            return FaithfulnessResult(None, False, [], error="the answer has no claims to check")
        checks = [self.check_claim(c, evidence) for c in claims]
        score = sum(c.supported for c in checks) / len(checks)
        return FaithfulnessResult(score, all(c.supported for c in checks), checks)
