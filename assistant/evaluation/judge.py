"""An LLM as faithfulness judge: the same verdicts as the offline checker, from a language model.

Not used when answering (the answerers verify with ``assistant.answering.verification``); the
evaluation runner uses it with ``--judge llm``. Unreadable output falls back to the offline
checker (or an error), never to NaN.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING

from assistant.answering.verification import (
    ClaimCheck,
    FaithfulnessChecker,
    FaithfulnessResult,
    split_claims,
    strip_citations,
    summarise_checks,
)

if TYPE_CHECKING:
    from llama_index.core.llms import LLM


JUDGE_PROMPT = """You check whether statements are supported by a context.

Context:
{context}

Statements:
{claims}

For each statement, answer whether the context supports it. A statement is supported only if every
fact in it (names, numbers, dates, negations) is stated in the context.
Reply with JSON only, a list with one object per statement, in order:
[{{"n": 1, "supported": true, "reason": ""}}, ...]"""


def parse_judgement(text: str, n_claims: int) -> list[tuple[bool, str]] | None:
    """Verdicts from an LLM's reply, or None when it cannot be read (pure).

    Accepts a JSON list (possibly inside prose or a code fence) of objects with ``supported``
    (bool or "yes"/"no") and optional ``n`` and ``reason``; must cover every claim.
    """
    start, end = text.find("["), text.rfind("]")
    if start < 0 or end <= start:
        return None
    try:
        data = json.loads(text[start:end + 1])
    except json.JSONDecodeError:
        return None
    if not isinstance(data, list):
        return None
    verdicts: dict[int, tuple[bool, str]] = {}
    for i, item in enumerate(data, start=1):
        if not isinstance(item, dict) or "supported" not in item:
            return None
        raw = item["supported"]
        if isinstance(raw, str):
            if raw.strip().lower() not in ("yes", "no", "true", "false"):
                return None
            raw = raw.strip().lower() in ("yes", "true")
        if not isinstance(raw, bool):
            return None
        n = item.get("n", i)
        if not isinstance(n, int) or not 1 <= n <= n_claims:
            n = i
        verdicts[n] = (raw, str(item.get("reason") or ""))
    if set(verdicts) != set(range(1, n_claims + 1)):
        return None
    return [verdicts[i] for i in range(1, n_claims + 1)]


class LLMFaithfulnessJudge:
    """Faithfulness judged by an LLM (any llama-index ``LLM``), with the offline checker as fallback.

    Verdicts are binary (score 1.0 or 0.0 per claim). An unreadable reply is retried, then the
    offline checker answers (its result notes that), or, with ``fallback=None``, the result is
    ``score=None`` with the reason: never NaN.

    Example::

        >>> from llama_index.llms.openai_like import OpenAILike
        >>> judge = LLMFaithfulnessJudge(OpenAILike(model="qwen2.5", api_base="http://127.0.0.1:8080/v1"))
        >>> judge.check("There are 42 ICBs.", ["England has 42 ICBs."]).score
    """

    def __init__(self, llm: "LLM", fallback: FaithfulnessChecker | None = None, retries: int = 1,
                 max_context_chars: int = 12000) -> None:
        if retries < 0:
            raise ValueError(f"retries must be 0 or more, got {retries}")
        self.llm = llm
        self.fallback = fallback
        self.retries = retries
        self.max_context_chars = max_context_chars

    def check_claim(self, claim: str, evidence: Sequence[str]) -> ClaimCheck:
        result = self._judge([strip_citations(claim)], list(evidence))
        if result.claims:
            return result.claims[0]
        return ClaimCheck(claim, False, 0.0, [result.error or "not judged"])

    def check(self, answer: str, context: str | Sequence[str]) -> FaithfulnessResult:
        evidence = [context] if isinstance(context, str) else list(context)
        claims = split_claims(answer) if isinstance(answer, str) else []
        if not claims:
            return FaithfulnessResult(None, False, [], error="the answer has no claims to check")
        return self._judge(claims, evidence)

    def _judge(self, claims: list[str], evidence: list[str]) -> FaithfulnessResult:
        context = "\n\n".join(e for e in evidence if e.strip())[: self.max_context_chars]
        if not context:
            return FaithfulnessResult(None, False, [], error="there is no context to check the answer against")
        prompt = JUDGE_PROMPT.format(context=context, claims="\n".join(f"{i}. {c}" for i, c in enumerate(claims, 1)))
        problem = "the LLM's reply could not be read as verdicts"
        for _ in range(self.retries + 1):
            try:
                reply = self.llm.complete(prompt).text
            except Exception as exc:  # a judge that fails must not end an evaluation run
                problem = f"the LLM judge failed: {type(exc).__name__}: {exc}"
                continue
            verdicts = parse_judgement(reply, len(claims))
            if verdicts is not None:
                checks = [ClaimCheck(c, ok, 1.0 if ok else 0.0, [] if ok else [reason or "the LLM judge found it unsupported"])
                          for c, (ok, reason) in zip(claims, verdicts)]
                return summarise_checks(checks)
        if self.fallback is not None:
            result = self.fallback.check(" ".join(claims), evidence)
            result.error = None if result.score is not None else result.error
            for c in result.claims:
                c.reasons = [*c.reasons, f"(offline checker: {problem})"] if not c.supported else c.reasons
            return result
        return FaithfulnessResult(None, False, [], error=problem)
