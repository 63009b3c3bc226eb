"""Claim verification: is each claim of an answer supported by the passages it rests on?

The generative answerer checks every sentence of a model's draft with it before the reader sees it;
the evaluation suite scores faithfulness with it.

No NLI model can be had offline, so the checker combines signals it does have, per claim (one
sentence of the answer, citation markers removed):

- **dense**: the best cosine similarity (all-MiniLM-L6-v2) between the claim and an evidence unit
  (a sentence of the evidence, or two neighbouring sentences, for claims that merge them);
- **lexical**: the share of the claim's content words (stemmed, ``assistant.text.terms``) that
  occur anywhere in the evidence;
- **consistency** (``assistant.answering.consistency``): numbers, dates, names and negation of the
  claim must agree with the evidence: a figure or year the evidence never states, a month it never
  names, a capitalised name absent from it, or a negation that the best-matching evidence does not
  share (or the reverse).

A contradiction is decisive; otherwise the claim is supported when ``max(dense, lexical)`` reaches
``threshold`` (0.5, set from unrelated passages, not tuned on labels). The rule has no weights:
tuned ones did not transfer across FaithBench's sources (``eval/faithbench.py``, results in
``docs/evaluation.md``).

An answer's score is the share of its claims that are supported, never NaN: an answer with no
claim, or no evidence, gets ``score=None`` and an ``error`` saying why.


Example::

    >>> checker = FaithfulnessChecker()
    >>> result = checker.check("There are 42 ICBs [1].", ["England has 42 integrated care boards (ICBs)."])
    >>> result.score, result.claims[0].reasons
    (1.0, [])
    >>> checker.check("There are 40 ICBs.", ["England has 42 ICBs."]).claims[0].reasons
    ['number 40 is not in the evidence']
"""

from __future__ import annotations

import math
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from html import escape
from typing import Any

import numpy as np

from assistant.answering.consistency import consistency
from assistant.answering.rows import join_lines
from assistant.results import _Data
from assistant.text.sentences import clean_sentence, split_sentences
from assistant.text.terms import terms


@dataclass
class ClaimCheck(_Data):
    """One claim and the verdict on it."""

    claim: str
    supported: bool
    score: float
    """Support in [0, 1]."""
    reasons: list[str] = field(default_factory=list)
    """Why it is unsupported (e.g. "number 42 is not in the evidence")."""
    evidence: str = ""
    """The evidence unit that matches the claim best (empty when there is none)."""


@dataclass
class FaithfulnessResult(_Data):
    """Share of supported claims; never NaN (``score`` is None with ``error`` set if unscorable)."""

    score: float | None
    supported: bool
    claims: list[ClaimCheck] = field(default_factory=list)
    error: str | None = None

    @property
    def unsupported(self) -> list[ClaimCheck]:
        """The claims the evidence does not support."""
        return [c for c in self.claims if not c.supported]

    def __str__(self) -> str:
        if self.score is None:
            return f"not scored: {self.error}"
        lines = [f"faithfulness {self.score:.2f} ({sum(c.supported for c in self.claims)}/{len(self.claims)} claims supported)"]
        lines += [f"  unsupported: {c.claim} ({'; '.join(c.reasons)})" for c in self.unsupported]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        if self.score is None:
            return f"<p>not scored: {escape(self.error or '')}</p>"
        rows = "".join(
            f"<tr><td>{'✓' if c.supported else '✗'}</td><td>{c.score:.2f}</td><td>{escape(c.claim)}</td>"
            f"<td>{escape('; '.join(c.reasons))}</td></tr>"
            for c in self.claims
        )
        return f"<p>faithfulness <b>{self.score:.2f}</b></p><table>{rows}</table>"


# -- claims and evidence units --------------------------------------------------------------------
_CITATION_MARK = re.compile(r"\s*\[\d+(?:\s*[,;–-]\s*\d+)*\]")


def strip_citations(text: str) -> str:
    """Text without ``[n]`` / ``[1, 2]`` citation markers (pure)."""
    return _CITATION_MARK.sub("", text).strip()


# A citation marker followed by a capital ends a claim even without a full stop: extractive
# answers join quotes that way ("... to transform NHS [1] NHS England will ...").
_CLAIM_END = re.compile(r"(?<=\d\])\s+(?=[A-Z])")
_NOT_A_CLAIM = re.compile(r"^\W*(?:yes|no|yes and no|in short)\W*$", re.I)


def split_claims(answer: str) -> list[str]:
    """The claims of an answer: its sentences, citation markers removed (pure).

    Blank pieces, bare "Yes." / "No." and pieces without a letter (a list's "2." split off its
    item) are left out: they assert nothing checkable on their own. A lead-in ending in a colon
    ("The review recommends:") is checked together with the sentence it introduces; a citation
    marker followed by a capital ends a claim.
    """
    claims: list[str] = []
    lead_in = ""
    pieces = [piece for a, b in split_sentences(answer) for piece in _CLAIM_END.split(answer[a:b])]
    for piece in pieces:
        claim = strip_citations(clean_sentence(piece))
        if not re.search(r"[^\W\d_]", claim) or _NOT_A_CLAIM.match(claim):
            continue
        claim = f"{lead_in} {claim}" if lead_in else claim
        lead_in = claim if claim.endswith(":") else ""
        if not lead_in:
            claims.append(claim)
    if lead_in:
        claims.append(lead_in)  # a lead-in with nothing after it is a claim of its own
    return claims


def joined_lines(text: str, spans: Sequence[tuple[int, int]], max_unit_chars: int = 1200) -> list[str]:
    """The spans of ``text`` that ``rows.join_lines`` makes of more than one of its sentence ``spans``, each on
    one line (pure)."""
    single = set(spans)
    return [" ".join(text[a:b].split())[:max_unit_chars] for a, b in join_lines(text, spans) if (a, b) not in single]


def evidence_units(evidence: Sequence[str], max_unit_chars: int = 1200) -> list[str]:
    """Sentences of each evidence text, plus pairs of neighbouring sentences (pure).

    Pairs let a claim that merges two sentences ("X, which does Y") match as a whole; the lines that
    PDF conversion split apart, joined again (``rows.join_lines``), are units too, since the extractive
    answerer quotes them whole.
    """
    units: list[str] = []
    for text in evidence:
        spans = split_sentences(text)
        sentences = [" ".join(text[a:b].split()) for a, b in spans]
        sentences = [s for s in sentences if s]
        units.extend(s[:max_unit_chars] for s in sentences)
        units.extend((f"{x} {y}")[:max_unit_chars] for x, y in zip(sentences, sentences[1:]))
        units.extend(joined_lines(text, spans, max_unit_chars))
    return list(dict.fromkeys(units))


@dataclass(frozen=True)
class ClaimFeatures:
    """What the checker measured for one claim; the verdict is a pure function of these."""

    claim: str
    dense: float
    lexical: float
    missing_numbers: tuple[str, ...] = ()
    missing_dates: tuple[str, ...] = ()
    missing_names: tuple[str, ...] = ()
    negation_mismatch: bool = False
    best_unit: str = ""


@dataclass(frozen=True)
class FaithfulnessParams:
    """The checker's one number: the support a claim needs when nothing contradicts it.

    ``support = max(dense, lexical)``: a claim is supported unless the evidence contradicts it
    (``consistency``) or neither its meaning (embedding) nor its words are found there at least
    ``threshold`` of the way. 0.5 is not tuned on labels: a claim no closer to the evidence than
    an unrelated passage usually is (cosine < 0.5: the 93rd-95th percentile of claims against
    passages of other documents, in the NHS corpus and in FaithBench) with most of its content
    words absent (fewer than half: what 99% of unrelated passages reach). Tuning it on FaithBench
    did not transfer across sources (``eval/faithbench.py``, ``docs/evaluation.md``).
    """

    threshold: float = 0.5

    def __post_init__(self) -> None:
        if not 0.0 <= self.threshold <= 1.0:
            raise ValueError(f"threshold must be between 0 and 1, got {self.threshold}")


def verdict(f: ClaimFeatures, p: FaithfulnessParams) -> ClaimCheck:
    """The supported / unsupported verdict for measured features (pure).

    A contradiction (changed figure, date, name or negation) is decisive, score 0; otherwise the
    score is the support, ``max(dense, lexical)``.
    """
    reasons = [f"number {n} is not in the evidence" for n in f.missing_numbers]
    reasons += [f"date {d} is not in the evidence" for d in f.missing_dates]
    if f.missing_names:
        reasons.append("name(s) not in the evidence: " + ", ".join(f.missing_names))
    if f.negation_mismatch:
        reasons.append("negation differs from the closest evidence")
    score = 0.0 if reasons else min(1.0, max(f.dense, f.lexical))
    supported = not reasons and score >= p.threshold
    if not supported and not reasons:
        reasons.append(f"not found in the evidence (similarity {f.dense:.2f}, words found {f.lexical:.0%})")
    return ClaimCheck(f.claim, supported, round(score, 4), [] if supported else reasons, f.best_unit)


class FaithfulnessChecker:
    """Checks claims against evidence texts without an LLM.

    Args:
        embed_model: a llama-index ``BaseEmbedding``; default the configured model, loaded on first use.
        threshold: the claim score needed to count as supported (overrides ``params.threshold``).
        params: all weights (``FaithfulnessParams``).
        settings: used only to find the embedding model when ``embed_model`` is None.

    Example::

        >>> checker = FaithfulnessChecker()
        >>> checker.check("It has 42 ICBs.", ["There are 42 ICBs in England."]).score
        1.0
    """

    def __init__(
        self,
        embed_model: object | None = None,
        threshold: float | None = None,
        params: FaithfulnessParams | None = None,
        settings: Any = None,
        cache_size: int = 20000,
    ) -> None:
        params = params or FaithfulnessParams()
        self.params = replace(params, threshold=threshold) if threshold is not None else params
        self._embed = embed_model
        self._settings = settings
        self._cache: dict[str, np.ndarray] = {}
        self._cache_size = cache_size
        self._lock = threading.Lock()

    @property
    def threshold(self) -> float:
        return self.params.threshold

    # -- embeddings (batched, cached: citation checks embed the same passages many times) ---------
    def _model(self) -> Any:
        with self._lock:
            if self._embed is None:
                from assistant.api import embed_model_for
                from assistant.settings import Settings

                self._embed = embed_model_for(self._settings or Settings.load())
            return self._embed

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length embeddings of ``texts`` (one row each)."""
        with self._lock:
            found = {t: self._cache[t] for t in texts if t in self._cache}
        todo = list(dict.fromkeys(t for t in texts if t not in found))
        if todo:
            raw = np.asarray(self._model().get_text_embedding_batch(todo), dtype=np.float32)
            norms = np.linalg.norm(raw, axis=1, keepdims=True)
            fresh = (raw / np.where(norms == 0, 1.0, norms)).astype(np.float32)
            found.update(zip(todo, fresh))
            with self._lock:
                if len(self._cache) + len(todo) > self._cache_size:
                    self._cache.clear()
                self._cache.update(zip(todo, fresh))
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        return np.stack([found[t] for t in texts])

    # -- measuring ---------------------------------------------------------------------------------
    def features(self, claims: Sequence[str], evidence: Sequence[str]) -> list[ClaimFeatures]:
        """Measure every claim against the same evidence (one embedding batch)."""
        units = evidence_units(evidence)
        evidence_text = "\n".join(evidence)
        pool = set(terms(evidence_text))
        vecs = self.embed(list(claims) + units)
        claim_vecs, unit_vecs = vecs[: len(claims)], vecs[len(claims):]
        sims = claim_vecs @ unit_vecs.T if units else np.zeros((len(claims), 0))
        out = []
        for i, claim in enumerate(claims):
            best = int(np.argmax(sims[i])) if units else -1
            dense = float(sims[i, best]) if units else 0.0
            words = set(terms(claim))
            lexical = len(words & pool) / len(words) if words else 1.0
            best_unit = units[best] if best >= 0 else ""
            nums, dates, missing_names, neg = consistency(claim, evidence_text, best_unit)
            out.append(ClaimFeatures(claim, max(0.0, dense), lexical, nums, dates, missing_names, neg, best_unit))
        return out

    # -- verdicts ----------------------------------------------------------------------------------
    def check_claim(self, claim: str, evidence: Sequence[str]) -> ClaimCheck:
        """Verdict on one claim against the passages it cites."""
        evidence = [e for e in evidence if e and e.strip()]
        claim = strip_citations(" ".join(claim.split()))
        if not evidence:
            return ClaimCheck(claim, False, 0.0, ["no evidence to check against"])
        if not re.search(r"\w", claim):
            return ClaimCheck(claim, True, 1.0, [])
        return verdict(self.features([claim], evidence)[0], self.params)

    def check(self, answer: str, context: str | Sequence[str]) -> FaithfulnessResult:
        """Split ``answer`` into claims and check each against all of ``context``."""
        if not isinstance(answer, str):
            return FaithfulnessResult(None, False, error=f"the answer must be text, not {type(answer).__name__}")
        evidence = [context] if isinstance(context, str) else [c for c in context if isinstance(c, str)]
        evidence = [e for e in evidence if e.strip()]
        claims = split_claims(answer)
        if not claims:
            return FaithfulnessResult(None, False, [], error="the answer has no claims to check")
        if not evidence:
            return FaithfulnessResult(None, False, [], error="there is no context to check the answer against")
        checks = [verdict(f, self.params) for f in self.features(claims, evidence)]
        return summarise_checks(checks)

    def supports(self, sentence: str, evidence: Sequence[str]) -> bool:
        """Is ``sentence`` entailed by ``evidence`` (the citation metrics' judge)."""
        return self.check_claim(sentence, evidence).supported


def summarise_checks(checks: Sequence[ClaimCheck]) -> FaithfulnessResult:
    """Share of supported claims (pure); None with a reason when there is no claim."""
    if not checks:
        return FaithfulnessResult(None, False, [], error="the answer has no claims to check")
    score = sum(c.supported for c in checks) / len(checks)
    if math.isnan(score):  # cannot happen with a non-empty list; kept as the contract's guard
        return FaithfulnessResult(None, False, list(checks), error="score could not be computed")
    return FaithfulnessResult(round(score, 4), all(c.supported for c in checks), list(checks))
