"""The metrics: one registry, each metric declaring the fields it needs, when it applies and how it is computed.

As in ragas, a metric names the fields of a row it reads (``needs``); a row lacking one is "not
applicable" with the reason (an unanswerable question has no evidence to retrieve; a reference-only
question has no must_include list). A metric may add its own condition (citation metrics do not
apply to a refusal) and its computation may decline with :class:`NotApplicable`. Anything else it
raises is recorded as ``"error: ..."`` for that metric alone; no value is ever NaN.

Fields (:data:`FIELDS`): ``question``, ``reference`` (a reference answer), ``must_include``,
``evidence`` (quotes a retrieved passage must hold), ``retrieved`` (passages, best first),
``answer`` (the assistant's text; absent when only retrieval is scored), ``citations``.

Adding a metric: write a function of :class:`Scoring` (the row being scored, with the judge and
cached shared parts such as the first relevant rank) and append a :class:`Metric` to
:data:`METRICS`; the reports, summaries, comparisons and docs tables pick it up by name.

Example::

    >>> scored = score(Sample.from_answer(question, answer), judge=FaithfulnessChecker(), k=5)
    >>> scored.values["mrr"], scored.not_applicable.get("must_include")
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from assistant.answering.verification import FaithfulnessChecker, FaithfulnessResult, strip_citations
from assistant.evaluation import facts as kf
from assistant.evaluation.questions import Question
from assistant.evaluation.scores import (
    PassageLike,
    citation_recall_precision,
    cited_sentences,
    first_relevant_rank,
    must_include_coverage,
    ndcg,
    token_f1,
)

if TYPE_CHECKING:
    from assistant.results import Answer

UNANSWERABLE = "unanswerable question"
FIELDS: dict[str, str] = {
    "question": "the question",
    "reference": "a reference answer",
    "must_include": "the key facts a correct answer must contain",
    "evidence": "quotes (with file and page) that a retrieved passage must hold",
    "retrieved": "the retrieved passages, best first",
    "answer": "the assistant's answer",
    "citations": "the answer's numbered citations and the passages they point to",
}


class NotApplicable(Exception):
    """Raised by a metric's computation when the row turns out not to allow it (the message says why)."""


@dataclass(frozen=True)
class Sample:
    """What the metrics may read of one question (ragas's ``SingleTurnSample``, for our fields)."""

    question: Question
    retrieved: tuple[PassageLike, ...] = ()
    answer: str | None = None
    """None when only retrieval is scored."""
    refused: bool = False
    cited: dict[int, str] = field(default_factory=dict, hash=False)
    """Citation number -> the full text of the passage it points to."""

    @classmethod
    def from_answer(cls, question: Question, answer: Answer) -> Sample:
        by_chunk = {p.chunk_id: p.text for p in answer.passages if p.chunk_id}
        cited = {c.n: by_chunk.get(c.chunk_id, c.quote) for c in answer.citations}
        return cls(question, tuple(answer.passages), answer.text, answer.refused, cited)

    def missing(self, name: str) -> str | None:
        """Why field ``name`` is absent from this row, or None when it is there."""
        q = self.question
        if name in ("reference", "must_include", "evidence") and not q.answerable:
            return UNANSWERABLE
        absent = {
            "question": not q.question,
            "reference": not q.answer,
            "must_include": not q.must_include,
            "evidence": not q.quotes,
            "retrieved": not self.retrieved,
            "answer": self.answer is None,
            "citations": self.answer is None,
        }
        if name not in absent:
            raise KeyError(f"unknown field {name!r}")
        if not absent[name]:
            return None
        return {
            "reference": "the question has no reference answer",
            "must_include": "the question lists no must_include facts",
            "evidence": "the question has no evidence quote",
            "retrieved": "nothing was retrieved",
            "answer": "no answer (retrieval only)",
            "citations": "no answer (retrieval only)",
        }.get(name, f"no {name}")


class Scoring:
    """One row being scored: the sample, the judge, and the parts several metrics share (computed once)."""

    def __init__(self, sample: Sample, judge: FaithfulnessChecker | None, k: int) -> None:
        self.sample, self.k = sample, k
        self._judge = judge

    @property
    def judge(self) -> FaithfulnessChecker:
        if self._judge is None:
            raise NotApplicable("no judge (faithfulness checker) given")
        return self._judge

    @cached_property
    def rank(self) -> int | None:
        """1-based rank of the first passage in the top k holding an evidence quote (None: not found)."""
        return first_relevant_rank(self.sample.retrieved[: self.k], self.sample.question.quotes)

    @cached_property
    def sentences(self) -> list[tuple[str, list[int]]]:
        return cited_sentences(self.sample.answer or "")

    @cached_property
    def citations(self) -> tuple[float, float | None]:
        if not self.sentences:
            raise NotApplicable("the answer has no sentences")
        return citation_recall_precision(self.sentences, self.sample.cited, self.judge.supports)

    @cached_property
    def faithfulness(self) -> FaithfulnessResult:
        # an answer without markers is held to every passage
        context = list(self.sample.cited.values()) or [p.text for p in self.sample.retrieved]
        return self.judge.check(self.sample.answer or "", context)

    @cached_property
    def key_facts(self) -> list[kf.KeyFact]:
        q = self.sample.question
        return kf.key_facts(q.answer or "", q.question)

    def similarity(self, a: str, b: str) -> float:
        vecs = self.judge.embed([a, b])
        return max(0.0, float(vecs[0] @ vecs[1]))


@dataclass(frozen=True)
class Metric:
    """A metric: its name, the fields it reads, when it applies, and how it is computed."""

    name: str
    label: str
    description: str
    needs: tuple[str, ...]
    compute: Callable[[Scoring], float]
    condition: Callable[[Sample], str | None] | None = None
    """An extra applicability test beyond the fields: a reason when it does not apply, else None."""
    higher_is_better: bool = True
    noise: float = 0.0
    """Per-question changes smaller than this are not reported by ``eval compare`` (soft similarity scores
    move a little whenever a passage changes)."""

    def applies(self, sample: Sample) -> str | None:
        """None when the metric applies to ``sample``, else the reason it does not."""
        for name in self.needs:
            reason = sample.missing(name)
            if reason:
                return reason
        return self.condition(sample) if self.condition else None


# -- the metrics -----------------------------------------------------------------------------------
def _answered(sample: Sample) -> str | None:
    return "refused" if sample.refused else None


def _answerable(sample: Sample) -> str | None:
    return None if sample.question.answerable else UNANSWERABLE


def _unanswerable(sample: Sample) -> str | None:
    return None if not sample.question.answerable else "answerable question"


def _precision(s: Scoring) -> float:
    precision = s.citations[1]
    if precision is None:
        raise NotApplicable("the answer cites nothing")
    return precision


def _faithfulness(s: Scoring) -> float:
    result = s.faithfulness
    if result.score is None:
        raise NotApplicable(result.error or "not scored")
    return result.score


def _key_facts(s: Scoring) -> float:
    if not s.key_facts:
        raise NotApplicable("the reference states no key facts beyond the question")
    return kf.key_fact_coverage(s.sample.answer or "", s.key_facts)


def _relevance(s: Scoring) -> float:
    answer = strip_citations(s.sample.answer or "")
    question = s.sample.question.question
    return kf.answer_relevance(question, answer, s.similarity(question, answer))


METRICS: tuple[Metric, ...] = (
    Metric("hit_at_k", "hit@k",
           "1 if one of the top-k retrieved passages holds an evidence quote (text as a reader sees it; with "
           "`page`, from that file and page), else 0.",
           ("evidence", "retrieved"), lambda s: float(s.rank is not None)),
    Metric("mrr", "MRR", "1 / rank of the first top-k passage holding an evidence quote; 0 when none does.",
           ("evidence", "retrieved"), lambda s: 1.0 / s.rank if s.rank else 0.0),
    Metric("ndcg_at_k", "nDCG@k",
           "Binary-gain nDCG@k: a passage gains 1 when it holds an evidence quote not found higher up; "
           "ideal = min(#quotes, k) hits at the top.",
           ("evidence", "retrieved"), lambda s: ndcg(s.sample.retrieved, s.sample.question.quotes, s.k)),
    Metric("must_include", "must_include",
           "Share of the question's must_include facts found in the answer (normalised, case-insensitive).",
           ("must_include", "answer"), lambda s: must_include_coverage(s.sample.answer or "", s.sample.question.must_include)),
    Metric("token_f1", "token F1",
           "SQuAD-style token F1 between the answer (citation markers removed) and the reference answer.",
           ("reference", "answer"), lambda s: token_f1(s.sample.answer or "", s.sample.question.answer or ""), noise=0.05),
    Metric("embedding_similarity", "embedding sim.",
           "Cosine similarity (all-MiniLM-L6-v2) of the answer and the reference answer, floored at 0.",
           ("reference", "answer"),
           lambda s: s.similarity(strip_citations(s.sample.answer or ""), s.sample.question.answer or ""), noise=0.05),
    Metric("key_fact_coverage", "key facts",
           "Share of the reference answer's key facts (figures, months, names, rare words the question does "
           "not already state) found in the answer.",
           ("reference", "answer"), _key_facts),
    Metric("citation_recall", "citation recall",
           "ALCE: share of answer sentences entailed by the concatenation of the passages they cite "
           "(a sentence citing nothing counts 0).",
           ("answer", "citations"), lambda s: s.citations[0], _answered),
    Metric("citation_precision", "citation precision",
           "ALCE: share of citations that are needed: one is irrelevant when its passage alone does not "
           "entail the sentence and the other cited passages still do.",
           ("answer", "citations"), _precision, _answered),
    Metric("faithfulness", "faithfulness",
           "Share of the answer's claims supported by the passages it cites (all retrieved passages if it "
           "cites none), by the offline faithfulness checker.",
           ("answer", "retrieved"), _faithfulness, _answered),
    Metric("answer_relevance", "answer relevance",
           "Does the answer address the question: (0.5 x question-answer embedding similarity + 0.5 x weighted "
           "coverage of the question's terms and constraints), halved when a who/when/how-many question gets "
           "no name/date/figure.",
           ("question", "answer"), _relevance, _answered, noise=0.05),
    Metric("refusal_rate", "refusal rate (unanswerable)",
           "1 when the assistant said the documents don't say; over unanswerable questions.",
           ("answer",), lambda s: float(s.sample.refused), _unanswerable),
    Metric("false_refusal_rate", "false-refusal rate (answerable)",
           "1 when the assistant refused an answerable question; lower is better.",
           ("answer",), lambda s: float(s.sample.refused), _answerable, higher_is_better=False),
)
BY_NAME: dict[str, Metric] = {m.name: m for m in METRICS}


def definitions(metrics: Sequence[Metric] = METRICS) -> dict[str, dict[str, Any]]:
    """Name -> label, description, fields needed, direction: what reports and docs print."""
    return {m.name: {"label": m.label, "description": m.description, "needs": list(m.needs),
                     "higher_is_better": m.higher_is_better} for m in metrics}


# -- scoring a row -----------------------------------------------------------------------------
@dataclass
class Scored:
    """Every metric of one row: values (None when not applicable) and the reasons."""

    values: dict[str, float | None]
    not_applicable: dict[str, str]
    rank: int | None
    unsupported_claims: list[dict[str, Any]]
    missing_facts: list[str]


def _finite(value: float) -> float:
    value = float(value)
    if not math.isfinite(value):
        raise ValueError("not a finite number")
    return round(value, 4)


def score(sample: Sample, judge: FaithfulnessChecker | None, k: int, metrics: Sequence[Metric] = METRICS) -> Scored:
    """Compute every applicable metric of ``sample``, each on its own (one failing loses only itself)."""
    s = Scoring(sample, judge, k)
    values: dict[str, float | None] = {}
    reasons: dict[str, str] = {}
    for metric in metrics:
        reason = metric.applies(sample)
        if reason is None:
            try:
                values[metric.name] = _finite(metric.compute(s))
                continue
            except NotApplicable as exc:
                reason = str(exc)
            except Exception as exc:  # one metric failing must not lose the others
                reason = f"error: {type(exc).__name__}: {exc}"
        values[metric.name], reasons[metric.name] = None, reason
    rank = s.rank if sample.missing("evidence") is None and sample.missing("retrieved") is None else None
    unsupported: list[dict[str, Any]] = []
    if "faithfulness" in s.__dict__:  # computed above: list what it did not find support for
        unsupported = [{"claim": c.claim, "score": c.score, "reasons": c.reasons} for c in s.faithfulness.unsupported]
    missing = []
    if values.get("key_fact_coverage") is not None:
        answer = strip_citations(sample.answer or "")
        missing = [f.text for f in s.key_facts if not kf.found(f, answer)]
    return Scored(values, reasons, rank, unsupported, missing)
