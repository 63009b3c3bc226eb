"""Answer relevance: are the passages worth asking a model about, and does a sentence address the question?

Two checks, both offline (the embedding model and the corpus's term statistics, no LLM):

- **the retrieval gate** (``passages_relevance``): the best cosine similarity between the question
  and a quotable sentence of the retrieved passages. Fused retrieval scores are relative (the top
  passage scores about 1 whatever it says), so they cannot tell "relevant" from "nearest of the
  unrelated"; a cosine can. The generative answerer asks its model only when this reaches
  ``GATE_THRESHOLD``.
- **sentence relevance** (``RelevanceChecker.check``): a sentence of an answer may be supported by
  its passage and still not answer the question (asked for a dementia diagnosis target, answered
  with the 18-week elective target). It is judged on the passage sentence it rests on (a model's
  own words may echo the question). The score blends the embedding similarity of question and
  that sentence with the IDF-weighted share of the question's terms found in it, halved when the
  question asks for a figure, date, name or code it does not hold (``extractive.answer_type_match``)::

      relevance = (0.5 * similarity + 0.5 * idf_coverage) * (0.5 if the asked-for kind is missing else 1)

  A model's sentence is also irrelevant when it **echoes the question over an unrelated passage**:
  the question's terms it states ("the dementia diagnosis rate target is 75%") are, by at least
  half their IDF weight, absent from the passages it rests on (their text, titles and sections),
  which were about another figure (a cancer diagnosis standard). Measured on Qwen2.5-Coder-1.5B.

  A sentence is relevant when it reaches ``RELEVANCE_THRESHOLD``, holds the kind of thing asked for
  (a figure, sum, name, code, ...; for a date the halved score decides, since "when" may ask "under what
  condition"), and no constraint of the question (the entity, figure, date or qualifier it turns on,
  ``constraints.unmet_constraints``, when that module is present) is missing from it.

Both thresholds were set on the tune half of the development set only (``eval/calibrate_llm_gates.py``,
numbers in ``docs/llm.md``) and checked on the confirm half.

Example::

    >>> checker = RelevanceChecker(FaithfulnessChecker(embed_model))
    >>> checker.check("What dementia diagnosis rate target is set?", "Patients should wait under 18 weeks.", stats=stats)
    RelevanceCheck(text='Patients should wait under 18 weeks.', relevant=False, score=0.1, reasons=[...])
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from assistant.answering.answer_kinds import answer_kind
from assistant.answering.citations import quotable_sentences
from assistant.answering.constraints import answer_type_match
from assistant.answering.verification import FaithfulnessChecker, strip_citations
from assistant.results import Passage, _Data
from assistant.text.sentences import clean_sentence
from assistant.text.terms import TermStats, coverage, terms

GATE_THRESHOLD = 0.45  # eval/calibrate_llm_gates.py: lowest answerable tune question with its evidence retrieved (0.525) less 0.05
RELEVANCE_THRESHOLD = 0.15
ECHO_SHARE = 0.5  # the IDF share of the question's terms a sentence states that its passages must hold
SIMILARITY_WEIGHT = 0.5
MISSING_KIND_FACTOR = 0.5

Constraints = Callable[..., list[str]]
"""``(question, text, context) -> the question's constraints that text (with context) does not meet``."""


def default_constraints() -> Constraints | None:
    """``constraints.unmet_constraints`` (the question's entity/figure/date/qualifier check) if present.

    It is written on another branch (issue 14); until it is merged, relevance rests on the score alone.
    """
    try:
        module = importlib.import_module("assistant.answering.constraints")
    except ImportError:
        return None
    found = getattr(module, "unmet_constraints", None)
    return found if callable(found) else None


def no_constraints(question: str, text: str, context: str = "") -> list[str]:
    """A constraint check that finds nothing unmet (relevance by score alone)."""
    return []


@dataclass
class RelevanceCheck(_Data):
    """Whether a supporting text addresses the question, and why not."""

    text: str
    relevant: bool
    score: float
    reasons: list[str] = field(default_factory=list)


def relevance_score(similarity: float, covered: float, holds_kind: bool | None) -> float:
    """The blended score (module docstring), in [0, 1] (pure)."""
    score = SIMILARITY_WEIGHT * max(0.0, min(1.0, similarity)) + (1 - SIMILARITY_WEIGHT) * covered
    return score * (MISSING_KIND_FACTOR if holds_kind is False else 1.0)


def unsupported_echo(question: str, sentence: str, context: str, stats: TermStats | None = None) -> list[str]:
    """The question's terms that ``sentence`` states and ``context`` never uses, when they weigh at least
    ``ECHO_SHARE`` of the question's terms the sentence states (IDF weights; empty otherwise) (pure)."""
    echoed = set(terms(sentence)) & set(terms(question))
    missing = echoed - set(terms(context))

    def weight(term: str) -> float:
        return stats.idf(term) if stats is not None and stats.documents else 1.0

    total = sum(weight(t) for t in echoed)
    if not missing or not total or sum(weight(t) for t in missing) / total < ECHO_SHARE:
        return []
    return sorted(missing)


def passage_sentences(passages: Sequence[Passage], min_words: int = 3) -> list[str]:
    """The quotable sentences of ``passages`` worth comparing with a question (pure)."""
    out = [clean_sentence(p.text[a:b]) for p in passages for a, b in quotable_sentences(p)]
    return list(dict.fromkeys(s for s in out if len(s.split()) >= min_words))


class RelevanceChecker:
    """Scores how well passages and answer sentences address a question.

    Args:
        checker: whose (cached) embeddings are used: the claim checker of the same answer.
        threshold: the sentence relevance a kept sentence needs.
        gate_threshold: the question-to-passage-sentence cosine that counts as "relevant passages".
        constraints: ``(question, text, context) -> unmet constraints``; default ``default_constraints()``
            (``no_constraints`` turns the check off).
    """

    def __init__(
        self,
        checker: FaithfulnessChecker,
        *,
        threshold: float = RELEVANCE_THRESHOLD,
        gate_threshold: float = GATE_THRESHOLD,
        constraints: Constraints | None = None,
    ) -> None:
        for name, value in (("threshold", threshold), ("gate_threshold", gate_threshold)):
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1, got {value}")
        self.checker = checker
        self.threshold = threshold
        self.gate_threshold = gate_threshold
        self.constraints: Constraints | None = constraints or default_constraints()

    def _question_vector(self, question: str, question_vec: Sequence[float] | None) -> np.ndarray:
        if question_vec is None:
            return self.checker.embed([question])[0]
        vec = np.asarray(question_vec, dtype=np.float32)
        norm = float(np.linalg.norm(vec))
        return vec / norm if norm else vec

    def passages_relevance(self, question: str, passages: Sequence[Passage], question_vec: Sequence[float] | None = None) -> float:
        """The best cosine between the question and a sentence of the passages (0 with none)."""
        sentences = passage_sentences(passages)
        if not sentences:
            return 0.0
        sims = self.checker.embed(sentences) @ self._question_vector(question, question_vec)
        return float(max(0.0, sims.max()))

    def passages_relevant(self, question: str, passages: Sequence[Passage], question_vec: Sequence[float] | None = None) -> bool:
        """Did retrieval find passages worth asking a model about?"""
        return self.passages_relevance(question, passages, question_vec) >= self.gate_threshold

    def check(
        self, question: str, text: str, context: str = "", stats: TermStats | None = None,
        question_vec: Sequence[float] | None = None, sentence: str = "",
    ) -> RelevanceCheck:
        """Does ``text``, the passage sentence(s) an answer's sentence rests on, address ``question``?

        The passage's words are scored, not the model's: a model can echo the question ("the
        dementia diagnosis target is 75%") over a passage about something else. ``sentence`` (the
        model's, if any) is checked for that echo against ``context`` (the passages, their titles
        and sections), which is also what the question's constraints may be met in.
        """
        text = strip_citations(" ".join(text.split()))
        qvec = self._question_vector(question, question_vec)
        similarity = float(self.checker.embed([text])[0] @ qvec) if text else 0.0
        words, found = terms(question), terms(text)
        covered = coverage(words, found, stats) if stats is not None and stats.documents else (
            len(set(words) & set(found)) / len(set(words)) if words else 1.0)
        holds_kind = answer_type_match(question, text)
        score = round(relevance_score(similarity, covered, holds_kind), 4)
        reasons: list[str] = []
        echo = unsupported_echo(question, sentence, f"{text} {context}", stats) if sentence else []
        if echo:
            reasons.append("states " + ", ".join(f"“{t}”" for t in echo) + " from the question, which its passage never does")
        if self.constraints is not None:
            reasons += [f"does not meet “{c}”" for c in self.constraints(question, text, context)]
        if score < self.threshold:
            missing = " (nor the kind of thing asked for)" if holds_kind is False else ""
            reasons.append(f"does not address the question{missing}: relevance {score:.2f} "
                           f"(similarity {similarity:.2f}, question terms found {covered:.0%})")
        elif holds_kind is False and (kind := answer_kind(question)) != "date":
            # as the extractive answerer holds: "how many / how much / who ...?" is not answered by a sentence
            # without a figure, sum or name (a "when" may ask "under what condition", so the score decides it)
            reasons.append(f"does not hold the kind of thing asked for ({kind})")
        return RelevanceCheck(text, not reasons, score, reasons)
