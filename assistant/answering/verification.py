"""Claim verification: is each claim of an answer supported by the passages it rests on?

The generative answerer checks every sentence of a model's draft with it before the reader sees it;
the evaluation suite scores faithfulness with it.

No NLI model can be had offline, so the checker combines signals it does have, per claim (one
sentence of the answer, citation markers removed):

- **dense**: the best cosine similarity (all-MiniLM-L6-v2) between the claim and an evidence unit
  (a sentence of the evidence, or two neighbouring sentences, for claims that merge them);
- **lexical**: the share of the claim's content words (stemmed, ``assistant.text.terms``) that
  occur anywhere in the evidence;
- **consistency**: numbers, dates, names and negation of the claim must agree with the evidence: a
  figure or year the evidence never states, a month it never names, a capitalised name absent from
  it, or a negation that the best-matching evidence does not share (or the reverse).

``score = dense_weight * dense + (1 - dense_weight) * lexical - penalties`` clipped to [0, 1]; the
claim is supported when the score reaches ``threshold``. Defaults were tuned on FaithBench's dev
data with grouped cross-validation (``eval/faithbench.py``; results in ``docs/evaluation.md``).

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

from assistant.results import _Data
from assistant.text.sentences import split_sentences
from assistant.text.terms import STOPWORDS, terms


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


_NOT_A_CLAIM = re.compile(r"^\W*(?:yes|no|yes and no|in short)\W*$", re.I)


def split_claims(answer: str) -> list[str]:
    """The claims of an answer: its sentences, citation markers removed (pure).

    Blank pieces and bare "Yes." / "No." are left out: they assert nothing checkable on their own.
    """
    claims = []
    for a, b in split_sentences(answer):
        claim = strip_citations(" ".join(answer[a:b].split()))
        if re.search(r"\w", claim) and not _NOT_A_CLAIM.match(claim):
            claims.append(claim)
    return claims


def evidence_units(evidence: Sequence[str], max_unit_chars: int = 1200) -> list[str]:
    """Sentences of each evidence text, plus pairs of neighbouring sentences (pure).

    Pairs let a claim that merges two sentences ("X, which does Y") match as a whole.
    """
    units: list[str] = []
    for text in evidence:
        sentences = [" ".join(text[a:b].split()) for a, b in split_sentences(text)]
        sentences = [s for s in sentences if s]
        units.extend(s[:max_unit_chars] for s in sentences)
        units.extend((f"{x} {y}")[:max_unit_chars] for x, y in zip(sentences, sentences[1:]))
    return list(dict.fromkeys(units))


# -- consistency: numbers, dates, names, negation --------------------------------------------------
_FIGURE = re.compile(
    r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?:\s*(thousand|million|billion|trillion|bn)\b|(m|bn|k)\b)?", re.I)
_SPAN_YEAR = re.compile(r"\b((?:19|20)\d{2})\s*[/–-]\s*(\d{2})\b")
_LIST_MARK = re.compile(r"^\s*\(?\d{1,2}[.)]\s")
_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "bn": 1e9, "m": 1e6, "k": 1e3}
_NUMBER_WORDS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "hundred": 100, "thousand": 1000, "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5,
}
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
           "october", "november", "december")
_MONTH = re.compile(r"\b(" + "|".join(m.capitalize() for m in _MONTHS) + r")\b")
_NEGATION = re.compile(r"\b(?:not|no|never|none|neither|nor|without|cannot|unable|nothing|nobody|lack|lacks)\b|n't\b", re.I)
_CAPITALISED = re.compile(r"\b[A-Z][\w'’-]*[A-Za-z]\b|\b[A-Z]{2,}\b")
_WORD = re.compile(r"[\w'’-]+")


@dataclass(frozen=True)
class Figure:
    """A number stated in a text: its value and how many significant digits it was given with."""

    text: str
    value: float
    significant: int
    year: bool = False

    def agrees_with(self, other: "Figure") -> bool:
        """Same value, or ``self`` is ``other`` rounded ("nearly 78,000" for 77,984) (pure)."""
        if math.isclose(self.value, other.value, rel_tol=1e-9):
            return True
        if self.year or other.year or self.significant >= other.significant or other.value == 0:
            return False
        scale = 10 ** (math.floor(math.log10(abs(other.value))) - self.significant + 1)
        return any(math.isclose(self.value, f(other.value / scale) * scale, rel_tol=1e-9)
                   for f in (round, math.floor, math.ceil))


def _significant(digits: str) -> int:
    core = digits.replace(",", "").replace(".", "").lstrip("0")
    return max(1, len(core.rstrip("0")) if "." not in digits else len(core))


def figures(text: str, words: bool = True) -> list[Figure]:
    """Numbers in the text with values ("£1.5 billion" = 1.5e9; "2025/26" also gives 2026) (pure).

    A leading list number ("1. ...") is not a figure. With ``words``, number words count too.
    """
    out: list[Figure] = []
    body = _LIST_MARK.sub(" ", text)
    for m in _FIGURE.finditer(body):
        whole, frac, scale = m.group(1), m.group(2) or "", (m.group(3) or m.group(4) or "").lower()
        value = float(whole.replace(",", "") + frac) * _SCALES.get(scale, 1.0)
        is_year = not frac and not scale and "," not in whole and len(whole) == 4 and whole[:2] in ("19", "20")
        label = m.group(0).strip()
        out.append(Figure(label, value, _significant(whole + frac), is_year))
    for m in _SPAN_YEAR.finditer(body):  # "2025/26" names 2026 too
        out.append(Figure(m.group(1)[:2] + m.group(2), float(m.group(1)[:2] + m.group(2)), 4, True))
    if words:
        for word in _WORD.findall(body.lower()):
            parts = word.split("-")  # "forty-two"
            if all(p in _NUMBER_WORDS for p in parts):
                out.append(Figure(word, float(sum(_NUMBER_WORDS[p] for p in parts)), len(parts)))
    return out


def numbers(text: str) -> set[str]:
    """Canonical values of the numbers in the text ("1,500" -> "1500"; "2025/26" -> also "2026") (pure)."""
    return {f"{f.value:.10g}" for f in figures(text)}


def months(text: str) -> set[str]:
    """Month names in the text, lower-cased ("May" only when capitalised) (pure)."""
    return {m.group(1).lower() for m in _MONTH.finditer(text)}


def negated(text: str) -> bool:
    """Does the text carry a negation (not, no, never, n't, without ...)? (pure)"""
    return bool(_NEGATION.search(text))


def names(text: str) -> set[str]:
    """Capitalised words and acronyms that are not sentence openers or stopwords, lower-cased (pure)."""
    out: set[str] = set()
    for sentence_start, m in _sentence_start_marked(text):
        word = m.group(0)
        low = word.lower().strip("'’-")
        if low in STOPWORDS or low in _MONTHS or len(low) < 2:
            continue
        if sentence_start and not word.isupper():
            continue  # "Integrated care ..." at a sentence start says nothing about names
        out.add(low)
    return out


def _sentence_start_marked(text: str) -> list[tuple[bool, re.Match[str]]]:
    out = []
    for m in _CAPITALISED.finditer(text):
        before = text[: m.start()].rstrip(" \"'“‘(")
        out.append((not before or before[-1] in ".!?:;•\n", m))
    return out


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
    """The checker's weights; defaults tuned on FaithBench dev (see ``eval/faithbench.py``)."""

    threshold: float = 0.55
    dense_weight: float = 0.65
    # A consistency violation is decisive (1.0): a changed figure, date, name or negation is never a
    # faithful answer. FaithBench barely tells these apart from 0.3-0.4 (0.594 vs 0.600 in-sample),
    # and with 0.4 a near-verbatim claim with a changed figure still passed.
    number_penalty: float = 1.0
    """Per claim with a number the evidence does not state (nor round to)."""
    date_penalty: float = 1.0
    """Per claim with a year or month the evidence does not state."""
    name_penalty: float = 1.0
    """Per claim with capitalised names absent from the evidence."""
    negation_penalty: float = 1.0

    def __post_init__(self) -> None:
        if not 0.0 <= self.threshold <= 1.0:
            raise ValueError(f"threshold must be between 0 and 1, got {self.threshold}")
        if not 0.0 <= self.dense_weight <= 1.0:
            raise ValueError(f"dense_weight must be between 0 and 1, got {self.dense_weight}")
        for name in ("number_penalty", "date_penalty", "name_penalty", "negation_penalty"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must be 0 or more, got {getattr(self, name)}")


_CLAUSE = re.compile(r"[,;:()]|\s[–-]\s|\b(?:and|but|while|whereas|although|though)\b")


def closest_clause(claim: str, text: str) -> str:
    """The clause of ``text`` most like ``claim`` by content-word Jaccard overlap (pure)."""
    wanted = set(terms(claim))
    clauses = [c for c in _CLAUSE.split(text) if c and c.strip()]
    if not clauses:
        return text

    def overlap(clause: str) -> float:
        have = set(terms(clause))
        return len(wanted & have) / len(wanted | have) if wanted | have else 0.0

    return max(clauses, key=overlap)


def negation_differs(claim: str, evidence: str) -> bool:
    """Does some clause of the claim differ in negation from the evidence clause most like it? (pure)

    Compared clause to clause: a "not" elsewhere in the evidence sentence says nothing about the
    part the claim restates.
    """
    clauses = [c for c in _CLAUSE.split(claim) if c and terms(c)] or [claim]
    return any(negated(c) != negated(closest_clause(c, evidence)) for c in clauses)


def consistency(claim: str, evidence_text: str, best_unit: str) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], bool]:
    """Numbers, months and names of the claim missing from the evidence; negation disagreement (pure)."""
    # Only digits in a claim count as figures: number words there are often counts the writer
    # inferred ("two separate statements"), which is not what a changed figure looks like.
    ev_figures = figures(evidence_text)
    missing = [f for f in figures(claim, words=False) if not any(f.agrees_with(e) for e in ev_figures)]
    missing_years = tuple(dict.fromkeys(f.text for f in missing if f.year))
    missing_other = tuple(dict.fromkeys(f.text for f in missing if not f.year))
    missing_months = tuple(sorted(months(claim) - months(evidence_text)))
    ev_words = {w.lower().strip("'’-") for w in _WORD.findall(evidence_text)}
    ev_stems = set(terms(evidence_text))
    missing_names = tuple(sorted(
        n for n in names(claim)
        if n not in ev_words and not (set(terms(n)) & ev_stems) and n.rstrip("s") not in ev_words
    ))
    mismatch = bool(best_unit) and negation_differs(claim, best_unit)
    return missing_other, missing_years + missing_months, missing_names, mismatch


def verdict(f: ClaimFeatures, p: FaithfulnessParams) -> ClaimCheck:
    """The supported / unsupported verdict for measured features (pure)."""
    score = p.dense_weight * f.dense + (1 - p.dense_weight) * f.lexical
    reasons: list[str] = []
    if f.missing_numbers:
        score -= p.number_penalty
        reasons += [f"number {n} is not in the evidence" for n in f.missing_numbers]
    if f.missing_dates:
        score -= p.date_penalty
        reasons += [f"date {d} is not in the evidence" for d in f.missing_dates]
    if f.missing_names:
        score -= p.name_penalty
        reasons.append("name(s) not in the evidence: " + ", ".join(f.missing_names))
    if f.negation_mismatch:
        score -= p.negation_penalty
        reasons.append("negation differs from the closest evidence")
    score = min(1.0, max(0.0, score))
    supported = score >= p.threshold
    if not supported and not reasons:
        reasons.append(f"weak support (similarity {f.dense:.2f}, words found {f.lexical:.0%})")
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
