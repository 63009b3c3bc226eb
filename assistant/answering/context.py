"""A sentence read with its context: what it refers back to, and what it adds to sentences already chosen.

Two failures of scoring sentences one by one, each fixed by a pure function here:

- A sentence that opens by referring back ("These include online consultations, ...", "We expect
  these to include, as a minimum, ...", "Now though, she is the Chair of ...") carries the answer while
  the words of the question sit in the sentence before it. ``antecedents`` finds, for each such
  sentence, the sentence right before it in the document; ``extractive`` scores the two together
  and quotes them together.
- A question in parts ("where ... and by when?", "what reference and which version?") is answered
  by several sentences, each holding fewer of its words than a sentence that repeats the question.
  ``QuestionCover`` measures what a sentence adds to those already chosen (the IDF weight of the
  question's words it holds that they lack), so that the next one chosen is the one that answers
  another part, not another wording of the same part.

Example::

    >>> opens_with_reference("These include online consultations and patient messaging.")
    True
    >>> cover = QuestionCover(["portal", "deadline"], {"portal": 2.0, "deadline": 1.0})
    >>> cover.gain({"portal"}, {"deadline", "days"})
    0.3333333333333333
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np

from assistant.text.sentences import (
    MARKER,
    clean_sentence,
    is_connector,
    is_lead_in,
    list_after,
    marker_kind,
    starts_with_marker,
)
from assistant.text.terms import TermStats, coverage, terms

# A back-reference in a sentence's first few words: the sentence is about what the one before it said.
# "this (transitional) year", "this framework", "this appendix": a time or the document itself, not the sentence before
_NOT_REFERENCE = (r"(?!\s+(?:[\w-]+\s+)?(?:year|month|week|day|time|period|document|paper|guidance|section|report|framework"
                  r"|appendix|annex|chapter|letter|manual|publication|procedure|note|table|figure)s?\b)")
_REFERENCE = re.compile(
    rf"^\W*(?:[\w’']+,?\s+){{0,2}}?(?:these|this|they|those|such|she|he|both|together)\b{_NOT_REFERENCE}",
    re.I,
)
_GAP = 4  # characters between a sentence and the one it refers to (a newline or two)

Quote = tuple[int, int, int, str]  # (passage_rank, doc_start, doc_end, text)
Blend = Callable[[float, float, int], float]  # (dense similarity, lexical coverage, passage rank) -> support


@dataclass(frozen=True)
class ScoredSentence:
    passage_rank: int
    start: int  # offsets in the document
    end: int
    text: str
    dense: float
    lexical: float
    support: float


def opens_with_reference(sentence: str) -> bool:
    """The sentence opens by referring to what came before ("These include ...", "Together, they ...") (pure).

    A list item is not counted: its marker already ties it to the list's lead-in.
    """
    return not starts_with_marker(sentence) and bool(_REFERENCE.match(sentence.lstrip()))


def predecessors(candidates: Sequence[Quote], doc_of: Callable[[int], str], between: Callable[[str, int, int], str | None]) -> list[int | None]:
    """For each candidate, the index of the candidate right before it in the same document (nothing but
    a line break or two between them); ``None`` when there is none (pure).

    ``doc_of(rank)`` names the document of a passage rank; ``between(doc, start, end)`` is the document
    text in ``[start, end)`` (``None`` where no retrieved passage covers it).
    """
    by_doc: dict[str, list[int]] = {}
    for i, (rank, _, _, _) in enumerate(candidates):
        by_doc.setdefault(doc_of(rank), []).append(i)
    out: list[int | None] = [None] * len(candidates)
    for doc, members in by_doc.items():
        members.sort(key=lambda i: candidates[i][1])
        for before, i in zip(members, members[1:]):
            if candidates[before][2] > candidates[i][1]:
                continue
            gap = between(doc, candidates[before][2], candidates[i][1])
            if gap is not None and len(gap) <= _GAP and not gap.strip():
                out[i] = before
    return out


def antecedents(before: Sequence[int | None], candidates: Sequence[Quote]) -> list[int | None]:
    """``before`` (``predecessors``) kept only for the candidates that open with a back-reference (pure)."""
    return [j if j is not None and (opens_with_reference(c[3]) or lead_in_refers_back(c[3])) else None
            for j, c in zip(before, candidates)]


# "this" / "these" / "so" standing for what was said ("do this by:", "these include:"), not before a noun ("in these
# instances:", "this section sets out:"), which names what it refers to
_BACK = re.compile(r"\bthem\b|\b(?:this|these|those|so)\b(?=\s*(?:[:—]|$|(?:by|through|via|as|are|is|include|includes"
                   r"|apply|applies|means?|will|can|may|should|must|involves?)\b))", re.I)
_SHORT_LEAD_IN = 12  # words: a lead-in this short says no more than "do it like this:"


def lead_in_refers_back(sentence: str) -> bool:
    """A short lead-in that refers to the sentence before it ("Systems are asked to do this by:", "They may do so
    by:"): what it introduces is the answer to what that sentence says, so it is read with it (pure)."""
    text = clean_sentence(sentence)
    return is_lead_in(text) and len(text.split()) <= _SHORT_LEAD_IN and bool(_BACK.search(text))


def list_items(before: Sequence[int | None], candidates: Sequence[Quote], limit: int) -> list[list[int]]:
    """For each candidate that is a lead-in (ends with a colon), the items right after it, up to ``limit``
    (``before``: ``predecessors``); an empty list for any other (pure). The items end where ``list_after``
    ends the list (items that lost their markers included), or, for an item that introduces items of its
    own marker, as ``nested_count`` and ``same_marker_run`` say."""
    after = {j: i for i, j in enumerate(before) if j is not None}
    out: list[list[int]] = []
    for i, c in enumerate(candidates):
        if not is_lead_in(c[3]):
            out.append([])
            continue
        chain = [i]
        while len(chain) <= limit and (j := after.get(chain[-1])) is not None:
            chain.append(j)
        texts = [candidates[k][3] for k in chain]
        end = list_after(texts, 0, limit=limit, connectors=True)
        end = max(end, 1 + (nested_count(texts[0], texts[1:]) or same_marker_run(texts[0], texts[1:])))
        out.append([k for k in chain[1:end] if not is_connector(candidates[k][3])])
    return out


class QuestionCover:
    """How much of a question's words a set of sentences holds, IDF-weighted (the ``coverage`` of
    ``assistant.text.terms`` over a union of sentences).

    Args:
        question_terms: the question's stemmed content words.
        weights: each term's weight (its IDF); a term missing from it weighs 1.
    """

    def __init__(self, question_terms: Iterable[str], weights: Mapping[str, float]) -> None:
        self.weights = {t: float(weights.get(t, 1.0)) for t in set(question_terms)}
        self.total = sum(self.weights.values())

    def covered(self, held: Iterable[str]) -> float:
        """Share of the question's weight in ``held``, in [0, 1]."""
        if not self.total:
            return 0.0
        have = set(held)
        return sum(w for t, w in self.weights.items() if t in have) / self.total

    def gain(self, chosen: Iterable[str], added: Iterable[str]) -> float:
        """What ``added`` covers of the question that ``chosen`` does not, in [0, 1]."""
        have = set(chosen)
        return self.covered(set(added) - have)

    def gain_within(self, held: Sequence[set[str]], docs: Sequence[str]) -> Callable[[Sequence[int], int], float]:
        """``gain`` of sentence ``i`` (its words ``held[i]``) over the chosen sentences of its own document
        (``docs[i]``): another document saying the same ("the 2025/26 guidance" beside "the medium term
        framework") is that document's version, not a repetition."""
        def gain(chosen: Sequence[int], i: int) -> float:
            return self.gain(set().union(*(held[j] for j in chosen if docs[j] == docs[i])), held[i])
        return gain


def with_antecedents(
    question_terms: Sequence[str], question_vec: np.ndarray, scored: Sequence[ScoredSentence], vecs: np.ndarray,
    leans_on: Sequence[int | None], stats: TermStats, blend: Blend,
) -> list[ScoredSentence]:
    """Each sentence that refers back (``context.antecedents``) scored with the sentence it refers to, when
    the two read together support the answer better than it does alone (pure).

    "These include online consultations, ..." holds the answer; "All practices have enabled the core
    capabilities." before it holds the question's words. Together they are quoted (``with_referents``).
    The pair's vector is the normalised sum of the two (no second embedding pass).
    """
    out = list(scored)
    for i, j in enumerate(leans_on):
        if j is None:
            continue
        s, before = scored[i], scored[j]
        pair = vecs[i] + vecs[j]
        norm = float(np.linalg.norm(pair))
        dense = float(pair @ question_vec) / norm if norm else 0.0
        lex = coverage(question_terms, terms(before.text) + terms(s.text), stats)
        support = blend(dense, lex, s.passage_rank)
        if support > s.support:
            out[i] = replace(s, dense=dense, lexical=lex, support=support)
    return out


def with_lists(
    question_terms: Sequence[str], question_vec: np.ndarray, scored: Sequence[ScoredSentence], vecs: np.ndarray,
    lists: Sequence[Sequence[int]], stats: TermStats, blend: Blend, list_weight: float,
    leans_on: Sequence[int | None] | None = None,
) -> list[ScoredSentence]:
    """Each lead-in scored with its list (``context.list_items``) when the two read together support the
    answer better than it does alone (pure): "A treatment is experimental where any of these apply:"
    says little, its items say what makes it so. The list's vector is the normalised mean of its items'.
    A lead-in that refers back (``leans_on``: ``antecedents``; "Systems are asked to do this by:") is read
    with the sentence it refers to as well: that sentence holds the question's words, the list the answer.
    """
    out = list(scored)
    for i, items in enumerate(lists):
        if not items:
            continue
        s = scored[i]
        body = vecs[list(items)].sum(axis=0)
        body_norm = float(np.linalg.norm(body))
        head = [i] if leans_on is None or (j := leans_on[i]) is None else [i, j]
        pair = vecs[head].sum(axis=0) + (body / body_norm if body_norm else body) * list_weight
        norm = float(np.linalg.norm(pair))
        dense = float(pair @ question_vec) / norm if norm else 0.0
        lex = coverage(question_terms, [t for k in [*head, *items] for t in terms(scored[k].text)], stats)
        support = blend(dense, lex, s.passage_rank)
        if support > s.support:
            out[i] = replace(s, dense=dense, lexical=lex, support=support)
    return out


def continuation(
    best: int, before: Sequence[int | None], candidates: Sequence[Quote], supports: Sequence[float],
    gap: Callable[[int, int], str | None], floor: float, limit: int, max_words: int,
    ends: Callable[[int], bool] = lambda _: False,
) -> list[int]:
    """The sentences that go on with sentence ``best`` in its own paragraph or list item, to be quoted after it (pure).

    A rule is often stated as a condition and then its detail ("If leakage occurs, injection technique should be
    reviewed. The individual should count slowly to 10 seconds ..."; "... it will not refuse to determine the
    application. In these circumstances, ... the funding will be back-dated to the date the application was made."):
    the question's words sit in the first sentence, the answer in the next, scored alone too low to be quoted.
    The next sentences are taken while they are on the same line as the one before (``gap(i, j)``, the text between
    candidates ``i`` and ``j``, holds no line break: a paragraph or an item, not the next item or paragraph), open no
    list item or list, say something about the question (``supports`` at least ``floor``), are not a candidate
    that ``ends`` it (``pointers.points_elsewhere``: "... are in Appendix six", where more is, not more; ``tails.cut_short``:
    a fragment a chunk's end cut off), and add up to
    ``limit`` sentences and ``max_words`` words: a long paragraph is not quoted whole.
    """
    after = {j: i for i, j in enumerate(before) if j is not None}
    if is_lead_in(candidates[best][3]):
        return []  # a lead-in brings its list (``list_items``)
    out: list[int] = []
    words = 0
    current = best
    while len(out) < limit and (nxt := after.get(current)) is not None:
        text = candidates[nxt][3]
        between = gap(current, nxt)
        words += len(text.split())
        if (between is None or "\n" in between or starts_with_marker(text) or is_lead_in(text)
                or supports[nxt] < floor or words > max_words or ends(nxt)):
            break
        out.append(nxt)
        current = nxt
    return out


def with_referents(chosen: Sequence[int], leans_on: Sequence[int | None]) -> list[int]:
    """``chosen`` with each sentence that refers back right after the sentence it refers to, brought in
    when not chosen itself ("These include ..." never stands alone), each once (pure)."""
    # every link of a chain ("X." <- "While this ..." <- "Overall, this means ..."), not only a chosen sentence's own
    # referent: else the chain stopped at the unchosen middle one, and the chosen sentence was left out
    follows: dict[int, int] = {}
    for i in chosen:
        seen = {i}
        while (j := leans_on[i]) is not None and j not in seen:
            follows.setdefault(j, i)
            seen.add(j)
            i = j
    out: list[int] = []
    for i in chosen:
        while (j := leans_on[i]) is not None and j not in out:
            i = j  # start from what it refers to (chosen or not), then its followers
        if i in out:
            continue
        out.append(i)
        while (nxt := follows.get(out[-1])) is not None and nxt not in out:
            out.append(nxt)
    return out




_NUMBERS = {w: n for n, w in enumerate("two three four five six seven eight nine ten".split(), start=2)}
_COUNT = re.compile(r"\b(two|three|four|five|six|seven|eight|nine|ten|[2-9])\s+(?:[\w-]+\s+){0,2}?[\w-]+s\b", re.I)


def announces_list(sentence: str, following: Sequence[str]) -> bool:
    """``sentence`` introduces, without a colon, the list that ``following`` opens with: it counts N things
    ("appoint three Executive Directors", "4 sequential steps") and exactly N items of one marker kind,
    not its own, come next (pure). A number that counts something else ("within seven working days")
    is not matched by the items that follow."""
    kind = marker_kind(following[0]) if following else None
    if kind is None or kind == marker_kind(sentence):
        return False
    run = next((j for j, text in enumerate(following) if marker_kind(text) != kind), len(following))
    counts = {int(m.group(1)) if m.group(1).isdigit() else _NUMBERS[m.group(1).lower()] for m in _COUNT.finditer(clean_sentence(sentence))}
    return run in counts


_INLINE_ITEM = re.compile(rf":\s+({MARKER})\s+\S")


def opens_inline_list(sentence: str, following: Sequence[str]) -> bool:
    """``sentence`` introduces a list whose first items it holds itself, and the list goes on in ``following``:
    a colon then a marker inside it ("... follows 4 sequential steps: 1. each metric ... 2. all scores ..."),
    and the next sentence opens with a marker of the same kind ("3. an adjustment ..."); or, unmarked, a colon
    then a lower-case item with no full stop ("... should bring together: service plans that ...") and a
    next sentence that opens lower-case ("workforce plans to ...") (pure). PDF and Markdown conversions glue
    a list's first items to its lead-in's line."""
    if not following or starts_with_marker(sentence):
        return False
    found = _INLINE_ITEM.search(sentence)
    if found:
        return marker_kind(found.group(1) + " x") == marker_kind(following[0]) is not None
    # unmarked items: "... should bring together: service plans that ..." (no full stop) then "workforce plans ..."
    tail = sentence.rsplit(":", 1)[1] if ":" in sentence else ""
    return (len(tail.split()) >= 2 and tail.split()[0][:1].islower() and not tail.rstrip().endswith((".", "!", "?", ";"))
            and following[0][:1].islower())


def nested_count(sentence: str, following: Sequence[str]) -> int:
    """How many of ``following`` are the sub-items of ``sentence``, a list item that is itself a lead-in with
    the same marker as they ("• to decline funding on one of two grounds:" then "• that ...", "• that ..."):
    the number it counts, when that many items of its marker follow; 0 otherwise (pure). A PDF conversion
    gives nested bullets the marker of their parent, so only the count tells where the sub-list ends."""
    kind = marker_kind(sentence)
    if kind is None or not is_lead_in(sentence):
        return 0
    run = next((j for j, text in enumerate(following) if marker_kind(text) != kind), len(following))
    counts = {int(m.group(1)) if m.group(1).isdigit() else _NUMBERS[m.group(1).lower()] for m in _COUNT.finditer(clean_sentence(sentence))}
    return max((n for n in counts if n <= run), default=0)


def same_marker_run(sentence: str, following: Sequence[str]) -> int:
    """How many of ``following`` are the list of ``sentence``, a list item that is itself a lead-in and counts
    nothing, before items of its own marker ("• we ask boards to weigh these principles:" then "• safeguard ...",
    "• protect ..."): the whole run of its marker that comes next (pure). Nested items flattened to their parent's
    bullet, or a lead-in glued to an item by a two-column conversion, cannot be told from siblings; the run is what
    the lead-in introduces as far as the text shows (``nested_count`` when it counts them). Sub-items with a
    bullet of their own ("– ...") end where that bullet does."""
    kind = marker_kind(sentence)
    if kind is None or not is_lead_in(sentence):
        return 0
    run = next((j for j, text in enumerate(following) if marker_kind(text) != kind), len(following))
    if run and kind == "•":
        # "• consider:" then "– a", "– b", "• next": the sub-list keeps the bullet it opens with, and ends with it
        return next((j for j, text in enumerate(following[:run]) if _glyph(text) != _glyph(following[0])), run)
    return run


def _glyph(sentence: str) -> str:
    """The first character of a sentence: a bullet's own shape ("•", "–", "▪")."""
    return sentence.lstrip()[:1]
