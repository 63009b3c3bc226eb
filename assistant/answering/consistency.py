"""Consistency of a claim with its evidence: numbers, dates, names and negation (pure functions).

What an embedding cannot see: a changed figure, year or name, or a dropped "not", leaves a
sentence almost as similar to its source as before. Each check is a rule with no tuned weight,
lenient on the evidence side (lower-cased text, spelled-out acronyms, rounded figures) and strict
on the claim's side:

- numbers: every figure in the claim equals a figure of the evidence or is it rounded
  ("nearly 78,000" for 77,984); a leading list number is not a figure;
- dates: years, year spans ("2025/26", one fact) and month names must be stated;
- names: capitalised words and acronyms (not sentence openers or titles) must occur, and the
  neighbouring words of a multi-word name must stand together ("Planned Care");
- negation: each clause of the claim agrees in negation with the evidence clause most like it.

Example::

    >>> consistency("There are 40 ICBs.", "England has 42 ICBs.", "England has 42 ICBs.")
    (('40',), (), (), False)
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass

from assistant.text.terms import STOPWORDS, terms

_FIGURE = re.compile(
    r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?:\s*(thousand|million|billion|trillion|bn)\b|(m|bn|k)\b)?", re.I)
_SPAN_YEAR = re.compile(r"\b((?:19|20)\d{2})\s*(?:[/–—-]{1,2})\s*(\d{2})\b")  # 2025/26, 2007 -- 08
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
# Titles and suffixes are capitalised but name nobody on their own ("Dame Angela", "Chris Eubank Sr.").
_TITLES = frozenset("mr mrs ms dr sr jr st prof sir dame lord lady".split())
_OPENERS = frozenset("the a an this these those he she it they we there".split())
_ACRONYM_SKIP = frozenset("of and the for in on to".split())


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
    spans = list(_SPAN_YEAR.finditer(body))
    tails = {m.start(2) for m in spans}  # the "26" of "2025/26" is part of a year, not a figure
    for m in _FIGURE.finditer(body):
        if m.start(1) in tails:
            continue
        whole, frac, scale = m.group(1), m.group(2) or "", (m.group(3) or m.group(4) or "").lower()
        value = float(whole.replace(",", "") + frac) * _SCALES.get(scale, 1.0)
        is_year = not frac and not scale and "," not in whole and len(whole) == 4 and whole[:2] in ("19", "20")
        label = m.group(0).strip()
        out.append(Figure(label, value, _significant(whole + frac), is_year))
    for m in spans:  # "2025/26" names 2026 too
        out.append(Figure(m.group(1)[:2] + m.group(2), float(m.group(1)[:2] + m.group(2)), 4, True))
    if words:
        for word in _WORD.findall(body.lower()):
            parts = word.split("-")  # "forty-two", "three-year"
            lead = list(itertools.takewhile(lambda p: p in _NUMBER_WORDS, parts))
            if lead:
                out.append(Figure("-".join(lead), float(sum(_NUMBER_WORDS[p] for p in lead)), len(lead)))
    return out


def year_spans(text: str) -> set[tuple[int, int]]:
    """Year spans stated as one ("2025/26", "2007 -- 08") as (first, last) years (pure)."""
    return {(int(m.group(1)), int(m.group(1)[:2] + m.group(2))) for m in _SPAN_YEAR.finditer(text)}


def _plain_years(text: str) -> set[int]:
    """Years stated on their own, not as part of a span (pure)."""
    inside = {i for m in _SPAN_YEAR.finditer(text) for i in range(m.start(), m.end())}
    return {int(m.group(0)) for m in re.finditer(r"\b(?:19|20)\d{2}\b", text) if m.start() not in inside}


def numbers(text: str) -> set[str]:
    """Canonical values of the numbers in the text ("1,500" -> "1500"; "2025/26" -> also "2026") (pure)."""
    return {f"{f.value:.10g}" for f in figures(text)}


def months(text: str, any_case: bool = False) -> set[str]:
    """Month names in the text, lower-cased ("May" only when capitalised, unless ``any_case``) (pure)."""
    if any_case:  # evidence may be lower-cased text; a verb "may" there only makes the check lenient
        return {w for w in _WORD.findall(text.lower()) if w in _MONTHS}
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
        if low in STOPWORDS or low in _MONTHS or low in _TITLES or len(low) < 2:
            continue
        if sentence_start and not word.isupper():
            continue  # "Integrated care ..." at a sentence start says nothing about names
        out.add(low)
    return out


def _name_word(word: str) -> str:
    low = word.lower().strip("'’-")
    return re.sub(r"['’]s$", "", low).rstrip("s")


def name_pairs(text: str) -> dict[str, str]:
    """Neighbouring capitalised words of multi-word names ("Darzi Review", "Cancer Alliances"):
    normalised "a b" -> as written (pure). A name is stated only if its words stand together:
    "Planned Care" is not in a text that has "planned" and "care" apart."""
    marked = _sentence_start_marked(text)
    out: dict[str, str] = {}
    for (opener, m1), (_, m2) in zip(marked, marked[1:]):
        if text[m1.end():m2.start()].strip() or (opener and not m1.group(0).isupper()):
            continue
        a, b = _name_word(m1.group(0)), _name_word(m2.group(0))
        # A name does not end in "The" or "He", nor repeat a word ("NHS NHS"): those are two
        # sentences or quotes run together.
        if a and b and a != b and not ({a, b} & (_TITLES | set(_MONTHS))) and m2.group(0).lower() not in _OPENERS:
            out[f"{a} {b}"] = f"{m1.group(0)} {m2.group(0)}"
    return out


def _word_pairs(text: str) -> set[str]:
    words = [_name_word(w) for w in _WORD.findall(text)]
    return {f"{a} {b}" for a, b in zip(words, words[1:])}


def _sentence_start_marked(text: str) -> list[tuple[bool, re.Match[str]]]:
    out = []
    for m in _CAPITALISED.finditer(text):
        before = text[: m.start()].rstrip(" \"'“‘(")
        out.append((not before or before[-1] in ".!?:;•\n", m))
    return out



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


def _initials(text: str, longest: int = 6) -> set[str]:
    """Initials of every run of 3..``longest`` words, small joining words skipped, lower-cased (pure).

    An acronym in a claim ("ICB") is stated by the evidence if it spells out the words
    ("integrated care board").
    """
    first = [w[0] for w in _WORD.findall(text.lower()) if w[0].isalnum() and w not in _ACRONYM_SKIP]
    return {"".join(first[i:i + n]) for n in range(3, longest + 1) for i in range(len(first) - n + 1)}


def consistency(claim: str, evidence_text: str, best_unit: str) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], bool]:
    """Numbers, months and names of the claim missing from the evidence; negation disagreement (pure)."""
    # Only digits in a claim count as figures: number words there are often counts the writer
    # inferred ("two separate statements"), which is not what a changed figure looks like.
    ev_figures = figures(evidence_text)
    unstated = [f for f in figures(claim, words=False) if not any(f.agrees_with(e) for e in ev_figures)]
    # A span is one fact: "2027/26" is not stated by a text holding 2026/27 and 2025/26.
    ev_spans, ev_years = year_spans(evidence_text), _plain_years(evidence_text)
    spans = [f"{a}/{str(b)[2:]}" for a, b in sorted(year_spans(claim)) if (a, b) not in ev_spans and not {a, b} <= ev_years]
    missing_years = tuple(dict.fromkeys([f.text for f in unstated if f.year] + spans))
    missing_other = tuple(dict.fromkeys(f.text for f in unstated if not f.year))
    missing_months = tuple(sorted(months(claim) - months(evidence_text, any_case=True)))
    ev_words = {w.lower().strip("'’-") for w in _WORD.findall(evidence_text)}
    ev_stems = set(terms(evidence_text))
    initials = _initials(evidence_text)
    missing = {
        n for n in names(claim)
        if n not in ev_words and not (set(terms(n)) & ev_stems) and n.rstrip("s") not in ev_words
        and not (3 <= len(n.rstrip("s")) <= 6 and n.rstrip("s") in initials)
    }
    pairs = name_pairs(claim)
    if pairs:
        ev_pairs = _word_pairs(evidence_text)
        # a pair whose words are already missing on their own is reported once, as those words
        alone = {_name_word(n) for n in missing}
        missing |= {written for p, written in pairs.items() if p not in ev_pairs and not (set(p.split()) & alone)}
    missing_names = tuple(sorted(missing))
    mismatch = bool(best_unit) and negation_differs(claim, best_unit)
    return missing_other, missing_years + missing_months, missing_names, mismatch
