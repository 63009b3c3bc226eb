"""An LLM as faithfulness judge: the same verdicts as the offline checker, from a language model.

Not used when answering (the answerers verify with ``assistant.answering.verification``); the
evaluation uses it with ``--judge llm`` (``ics-assistant eval`` and ``ics-assistant faithfulness``).
It is a ``FaithfulnessChecker`` whose claim verdicts come from the LLM, so it goes wherever the
checker goes (the runner's ``checker=``); embeddings (answer similarity) stay the offline model's.
Unreadable output falls back to the offline verdicts (or an error), never to NaN.

Example::

    >>> from assistant.settings import Settings
    >>> judge = make_judge(Settings.load(backend="gguf", gguf_path="qwen2.5-1.5b.gguf"), "llm")
    >>> judge.check("There are 40 ICBs.", ["England has 42 ICBs."]).claims[0].reasons
    ['the context says 42 ICBs']
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from assistant.answering.verification import (
    ClaimCheck,
    FaithfulnessChecker,
    FaithfulnessParams,
    FaithfulnessResult,
    split_claims,
    strip_citations,
    summarise_checks,
)

if TYPE_CHECKING:
    from llama_index.core.llms import LLM

    from assistant.settings import Settings

JUDGES = ("offline", "llm")
MAX_FAILURES = 3

JUDGE_PROMPT = """You check whether statements are supported by a context.

Context:
{context}

Statements:
{claims}

For each statement, decide whether the context supports it. A statement is supported only if
every fact in it (names, numbers, dates, negations, who did what) is stated in the context or
follows from it; a statement that adds facts the context does not give is not supported.
Reply with JSON only: a list with one object per statement, in order, each with the statement's
number, a reason of at most 15 words, then the verdict:
[{{"n": 1, "reason": "...", "supported": true or false}}, ...]"""


def judge_grammar(n_claims: int) -> str:
    """A llama.cpp grammar (GBNF) for exactly ``n_claims`` verdicts in JUDGE_PROMPT's shape (pure).

    It fixes the reply's form (numbering, JSON, a true/false verdict after a short reason), never
    the verdicts: those stay the model's.
    """
    items = " \",\\n\" ".join(f"item{i}" for i in range(1, n_claims + 1))
    rules = [f'root ::= "[" {items} "]"']
    rules += [f'item{i} ::= "{{\\"n\\": {i}, \\"reason\\": \\"" reason "\\", \\"supported\\": " verdict "}}"'
              for i in range(1, n_claims + 1)]
    rules += ['reason ::= [^"\\\\\\n]{1,150}', 'verdict ::= "true" | "false"']  # a reason of at most 150 characters
    return "\n".join(rules)


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


class LLMFaithfulnessJudge(FaithfulnessChecker):
    """Faithfulness judged by an LLM (any llama-index ``LLM``), with the offline verdicts as fallback.

    Verdicts are binary (score 1.0 or 0.0 per claim). An unreadable reply (or a failing backend) is
    retried, then the offline checker answers and each of its unsupported claims says why; with
    ``offline_fallback=False`` the result is ``score=None`` with the reason: never NaN.
    ``counts`` tells how many verdicts came from the LLM and how many from the fallback.

    Args:
        llm: the judging model (``make_judge`` builds it from the settings).
        offline_fallback: answer with the offline checker when the LLM's reply cannot be used.
        grammar: send ``judge_grammar`` with each request (llama.cpp servers: the reply is then
            always readable; other servers may reject the unknown field).
        retries: further attempts after an unreadable reply.
        max_context_chars: context beyond this is cut (the prompt must fit the model's window).
        embed_model, params, settings: as for ``FaithfulnessChecker`` (embeddings and fallback).
    """

    def __init__(self, llm: "LLM", *, offline_fallback: bool = True, grammar: bool = False, retries: int = 1,
                 max_context_chars: int = 12000, embed_model: object | None = None, params: FaithfulnessParams | None = None, settings: Any = None) -> None:
        if retries < 0:
            raise ValueError(f"retries must be 0 or more, got {retries}")
        if max_context_chars < 200:
            raise ValueError(f"max_context_chars must be at least 200, got {max_context_chars}")
        super().__init__(embed_model=embed_model, params=params, settings=settings)
        self.llm = llm
        self.offline_fallback = offline_fallback
        self.grammar = grammar
        self.retries = retries
        self.max_context_chars = max_context_chars
        self.counts = {"llm": 0, "fallback": 0, "unscored": 0}
        self._counts_lock = threading.Lock()
        self._failures = 0  # consecutive backend failures: after MAX_FAILURES the LLM is not asked again

    def check_claim(self, claim: str, evidence: Sequence[str]) -> ClaimCheck:
        """The LLM's verdict on one claim (the citation metrics' judge, through ``supports``)."""
        claim = strip_citations(" ".join(claim.split()))
        if not re.search(r"\w", claim):
            return ClaimCheck(claim, True, 1.0, [])
        result = self._judge([claim], [e for e in evidence if e and e.strip()])
        if result.claims:
            return result.claims[0]
        return ClaimCheck(claim, False, 0.0, [result.error or "not judged"])

    def check(self, answer: str, context: str | Sequence[str]) -> FaithfulnessResult:
        """Split ``answer`` into claims and ask the LLM about all of them in one prompt."""
        if not isinstance(answer, str):
            return FaithfulnessResult(None, False, error=f"the answer must be text, not {type(answer).__name__}")
        evidence = [context] if isinstance(context, str) else [c for c in context if isinstance(c, str)]
        claims = split_claims(answer)
        if not claims:
            return FaithfulnessResult(None, False, [], error="the answer has no claims to check")
        return self._judge(claims, [e for e in evidence if e.strip()])

    def _count(self, key: str, n: int) -> None:
        with self._counts_lock:
            self.counts[key] += n

    def _judge(self, claims: list[str], evidence: list[str]) -> FaithfulnessResult:
        context = "\n\n".join(evidence)[: self.max_context_chars]
        if not context.strip():
            return FaithfulnessResult(None, False, [], error="there is no context to check the answer against")
        prompt = JUDGE_PROMPT.format(context=context, claims="\n".join(f"{i}. {c}" for i, c in enumerate(claims, 1)))
        problem = "the LLM's reply could not be read as verdicts"
        extra: dict[str, Any] = {"grammar": judge_grammar(len(claims))} if self.grammar else {}
        for _ in range(self.retries + 1):
            if self._failures >= MAX_FAILURES:  # a dead backend must not cost a timeout per claim
                problem = f"the LLM judge failed {MAX_FAILURES} times in a row and is no longer asked"
                break
            try:
                reply = self.llm.complete(prompt, **extra).text
            except Exception as exc:  # a judge that fails must not end an evaluation run
                problem = f"the LLM judge failed: {type(exc).__name__}: {exc}"
                with self._counts_lock:
                    self._failures += 1
                continue
            with self._counts_lock:
                self._failures = 0
            verdicts = parse_judgement(reply, len(claims))
            if verdicts is not None:
                self._count("llm", len(claims))
                return summarise_checks([
                    ClaimCheck(c, ok, 1.0 if ok else 0.0, [] if ok else [reason or "the LLM judge found it unsupported"])
                    for c, (ok, reason) in zip(claims, verdicts)])
        if not self.offline_fallback:
            self._count("unscored", len(claims))
            return FaithfulnessResult(None, False, [], error=problem)
        self._count("fallback", len(claims))
        checks = [super(LLMFaithfulnessJudge, self).check_claim(c, evidence) for c in claims]
        for c in checks:
            if not c.supported:
                c.reasons = [*c.reasons, f"(offline checker: {problem})"]
        return summarise_checks(checks)


def judge_llm(settings: "Settings") -> "LLM":
    """The configured LLM, at temperature 0 (a judge should give the same verdict twice).

    With ``backend`` ``openai`` or ``gguf``, that backend; with the extractive backend but an
    ``llm_base_url`` set, that server (so extractive answers can be judged by an LLM).
    """
    from assistant.answering.llm import LLMError
    from assistant.api import llm_for

    if settings.backend == "extractive":
        if not settings.llm_base_url:
            raise LLMError("--judge llm needs an LLM: --backend openai --llm-base-url URL, or --gguf PATH")
        settings = settings.replace(backend="openai")
    return llm_for(settings.replace(llm_temperature=0.0))


def make_judge(settings: "Settings", kind: str = "offline", threshold: float | None = None) -> FaithfulnessChecker:
    """The faithfulness judge for ``--judge``: the offline checker, or the LLM with it as fallback."""
    if kind not in JUDGES:
        raise ValueError(f"judge must be one of {', '.join(JUDGES)}, got {kind!r}")
    if kind == "offline":
        return FaithfulnessChecker(threshold=threshold, settings=settings)
    params = FaithfulnessParams(threshold=threshold) if threshold is not None else None
    # The gguf backend is llama.cpp: hold the reply to the verdict format, unless the user set a grammar.
    grammar = settings.backend == "gguf" and "grammar" not in settings.extra_body()
    return LLMFaithfulnessJudge(judge_llm(settings), grammar=grammar, params=params, settings=settings)
