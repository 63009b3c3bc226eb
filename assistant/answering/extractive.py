"""Extractive answering (the offline default): quote the sentences that answer, each cited.

From the retrieved passages, every sentence is scored for how well it supports an answer to the
question: embedding similarity to the question blended with the IDF-weighted share of the
question's content words it contains. The best sentences (close to the top score, not redundant)
are quoted verbatim, grouped by document in reading order, each followed by ``[n]``. When even the
best sentence falls below ``min_support``, the answer is a refusal instead of loosely related text.

Example::

    >>> answer = ExtractiveAnswerer(embed_model, max_sentences=4).answer(question, passages, stats)
    >>> answer.text
    'Chancellor Jeremy Hunt announced that he had asked Patricia Hewitt to oversee ... [1]'
"""

from __future__ import annotations

import functools
import re
import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np
from pydantic import PositiveFloat, PositiveInt

from assistant.answering.actors import (
    asked_actor,
    names_actor,
    passes_to_other,
    passive_duty,
    receives,
    states_other_duty,
)
from assistant.answering.answer_kinds import answer_kind
from assistant.answering.answerability import TOLD_BEFORE, constrained, from_anchor, told_before, typed_candidates
from assistant.answering.asked_kin import kin_words
from assistant.answering.asked_type import asked_type, labels_instance
from assistant.answering.base import refusal, text_pieces
from assistant.answering.changes import asks_change
from assistant.answering.citations import CitedSentence, build_citations, quotable_sentences, render_answer
from assistant.answering.completion import SEAM, NextChunk, begin_quotes, complete_quotes, drop_contained, lists_run_on
from assistant.answering.conditions import condition_typed
from assistant.answering.constraints import (
    ASKING,
    GENERIC,
    asked_attribute,
    asking_part,
    asks_two_things,
    typed_matches,
)
from assistant.answering.context import (
    QuestionCover,
    Quote,
    ScoredSentence,
    announces_list,
    antecedents,
    continuation,
    list_items,
    nested_count,
    opens_inline_list,
    predecessors,
    same_marker_run,
    with_antecedents,
    with_lists,
    with_referents,
)
from assistant.answering.definitions import under_asked_heading
from assistant.answering.described import Hop, asks_of, descriptions, resolved
from assistant.answering.doc_control import asked_roles, lifted, line_roles
from assistant.answering.durations import tells_asked_event
from assistant.answering.heading_answers import heading_candidates
from assistant.answering.heading_series import listed_by_headings
from assistant.answering.owners import OwnerWords, owner_words
from assistant.answering.paragraph_numbers import unnumbered
from assistant.answering.pointers import asks_where, is_pointer, points_elsewhere
from assistant.answering.quote_order import drop_repeats, lead_first
from assistant.answering.reference_lists import outside_reference_lists
from assistant.answering.rows import join_lines
from assistant.answering.sibling_kinds import asked_kinds, other_measure, post_kinds, sibling_of, unnamed
from assistant.answering.signposts import announces_scope, asks_scope
from assistant.answering.spans import answer_span, elided, emphasis
from assistant.answering.tails import asks_quantity, cut_short, states_quantity
from assistant.answering.topics import topic_terms
from assistant.answering.yes_no import credited
from assistant.errors import checked
from assistant.results import Answer, Passage
from assistant.retrieval.naming import DocName
from assistant.text.sentences import clean_sentence, is_lead_in, list_after, marker_kind, starts_with_marker
from assistant.text.terms import TermStats, acronyms, coverage, distinct_terms, expand, terms

LEANS_ON = 200  # characters of the sentence before a candidate that may name its kind (a table has no full stops)

if TYPE_CHECKING:
    from llama_index.core.base.embeddings.base import BaseEmbedding

DENSE_WEIGHT = 0.7  # blend of embedding similarity and lexical coverage (tuned on the tune documents, checked on confirm)
RANK_DECAY = 0.02  # a small preference for sentences from higher-ranked passages
REDUNDANT = 0.92  # cosine above which a sentence repeats one already chosen
MARGIN = 0.25  # sentences this far below the best are left out (tune; 0.22-0.3 the same on both halves)
REPEAT_MARGIN = 0.12  # ... and this far, when they add (almost) none of the question's words to those already chosen
TYPED_CREDIT = 0.08  # holding the kind of thing asked for (a name, figure, date, code) is itself support
KIN_COVERAGE = 0.6  # lexical share of the question a sentence met only through a kind word must hold (asked_kin)
PLAIN = 0.65  # a "when" question is answered this well without a date: it may ask "under what condition" ("When is a panel quorate?")
GAIN = 0.25  # a sentence that holds question words the chosen ones lack gains this much per unit of their weight
MIN_GAIN = 0.1  # ... when they are at least this share of the question's weight (less is a repetition: REPEAT_MARGIN)
NEXT_CREDIT = 0.1  # the sentence right after the best one goes on with it ("If no consensus is reached, ...") (tune); no chain
CONTINUE_DROP = 0.15  # the best sentence's paragraph goes on with sentences this far below the floor (context.continuation)
CONTINUE_LIMIT = 2  # ... up to this many sentences
CONTINUE_WORDS = 60  # ... and this many words: a long paragraph is not quoted whole
LIST_LIMIT = 20  # a lead-in ("... will consider four things:") brings its whole list, up to this many sentences
LIST_WEIGHT = 0.5  # a lead-in's items, together, weigh this much beside the lead-in in its vector (tune)
_LIST_GAP = 4  # characters between two sentences of one list (a newline or two, indentation)
_MIN_WORDS = 2
_ENTRY_OVERHEAD = 100  # an OrderedDict slot and its linked-list node, about

def candidate_sentences(passages: Sequence[Passage]) -> list[tuple[int, int, int, str]]:
    """``(passage_rank, doc_start, doc_end, text)`` for each distinct quotable sentence of the passages.

    Table rows are whole sentences, list items keep their markers, lines that PDF conversion split apart
    are joined again (``rows.join_lines``: a sentence's wrapped tail, a table row's label), and nothing in a passage's
    ``unquotable`` spans (title, headings, contents and leader lines) is a candidate.
    """
    seen: set[tuple[str, int, int]] = set()
    out = []
    for rank, passage in enumerate(passages):
        for a, b in join_lines(passage.text, quotable_sentences(passage)):
            start, end = passage.start + a, passage.start + b
            key = (passage.path or passage.source, start, end)
            text = passage.text[a:b]
            if key in seen or not is_statement(text, passage):
                continue  # overlapping chunks repeat sentences; headings are not statements
            seen.add(key)
            out.append((rank, start, end, text))
    return out


def is_statement(text: str, passage: Passage) -> bool:
    """False for headings and titles: short lines with no end punctuation, colon or figure.

    (A short list item is not a candidate on its own; its lead-in brings it: ``expand_lead_ins``.)
    """
    words = text.split()
    if len(words) < _MIN_WORDS:
        return False
    if clean_sentence(text).casefold() in {passage.title.casefold(), (passage.section or "").casefold()}:
        return False
    looks_like_fact = text.rstrip()[-1] in ".!?;:\"”’)" or ":" in text or any(ch.isdigit() for ch in text)
    return looks_like_fact or len(words) >= 8


def score_sentences(
    question_terms: Sequence[str],
    question_vec: np.ndarray,
    candidates: Sequence[tuple[int, int, int, str]],
    sentence_vecs: np.ndarray,
    stats: TermStats,
    blend: "Callable[[float, float, int], float] | None" = None,
) -> list[ScoredSentence]:
    """Support of each candidate sentence for the question (pure); ``blend``: ``_blend`` unless given."""
    blend = blend or _blend
    dense = sentence_vecs @ question_vec if len(candidates) else np.zeros(0)
    # "ICSs" in a sentence covers "integrated care systems" in the question when a passage defines it.
    known = acronyms(text for _, _, _, text in candidates)
    scored = []
    for (rank, start, end, text), sim in zip(candidates, dense):
        lex = coverage(question_terms, expand(terms(text), known), stats)
        support = blend(float(sim), lex, rank)
        scored.append(ScoredSentence(rank, start, end, text, float(sim), lex, support))
    return scored


def select_sentences(
    scored: Sequence[ScoredSentence], vecs: np.ndarray, max_sentences: int, min_support: float,
    typed: Sequence[bool] | None = None, allowed: Sequence[bool] | None = None, plain: float | None = None,
    gain: Callable[[Sequence[int], int], float] | None = None, before: Sequence[int | None] | None = None,
    two_part: bool = False, complete: Callable[[str], bool] = lambda _: False,
) -> list[int]:
    """Indices of the sentences to quote: near the best, above the floor, not redundant (pure).

    ``typed`` marks sentences holding the kind of thing the question asks for (a name, figure,
    date or code); when any of them is supported well enough, only those are quoted; otherwise,
    with ``plain`` set, a sentence supported at least that well is quoted all the same. ``allowed``
    marks the sentences that meet the question's constraints (``constrained``); no other is quoted.
    ``gain(chosen, i)`` is what sentence ``i`` adds to those chosen (``QuestionCover.gain``): after the
    best, each next one is the best by its support plus ``GAIN`` times that, so a sentence answering
    another part of the question goes before another wording of the part already answered.
    ``before[i]`` is the sentence right before ``i`` in its document (``context.predecessors``): the one
    after the best sentence gains ``NEXT_CREDIT`` (after the best only: credited sentences crediting their
    own next ones would bring in a whole paragraph), unless the best is ``complete`` (it states the quantity asked
    for: ``tails``; "... recommends 4mm needle" + "Using needles of a shorter length helps ..."). ``two_part``: the question asks two things ("what must
    it do, and from what date?"); only the first sentence quoted must then hold the kind asked for.
    """
    pool = [i for i in range(len(scored)) if allowed is None or allowed[i]]
    rest = pool
    if typed is not None:
        min_support -= TYPED_CREDIT
        matching = [i for i in pool if typed[i] and scored[i].support >= min_support]
        if matching:
            pool = matching
            rest = pool if not two_part else rest
        elif plain is None or not any(scored[i].support >= plain for i in pool):
            return []  # asked for a figure, date, code or name, and no supported sentence holds one
        else:
            min_support = plain
    order = sorted(pool, key=lambda i: -scored[i].support)
    if not order or scored[order[0]].support < min_support:
        return []
    floor = max(min_support, scored[order[0]].support - MARGIN)
    # a sentence that adds none of the question's words to those chosen must come closer to the best
    repeat_floor = max(floor, scored[order[0]].support - REPEAT_MARGIN) if gain else floor
    chosen: list[int] = [order[0]]
    order = order if rest is pool else sorted(rest, key=lambda i: -scored[i].support)
    next_credit = 0.0 if complete(scored[chosen[0]].text) else NEXT_CREDIT
    left = [i for i in order if i != chosen[0] and scored[i].support >= floor - (GAIN if gain else 0.0) - next_credit]
    while left and len(chosen) < max_sentences:
        adds = {i: gain(chosen, i) if gain else 0.0 for i in left}
        value = {i: scored[i].support + (GAIN * adds[i] if adds[i] >= MIN_GAIN else 0.0)
                 + (next_credit if before is not None and before[i] == chosen[0] else 0.0) for i in left}
        left = [i for i in left if value[i] >= (floor if value[i] > scored[i].support else repeat_floor)
                and not any(float(vecs[i] @ vecs[j]) > REDUNDANT for j in chosen)]
        if not left:
            break
        best = max(left, key=lambda i: value[i])
        chosen.append(best)
        left.remove(best)
    return chosen


def expand_lead_ins(chosen: Sequence[Quote], passages: Sequence[Passage]) -> list[Quote]:
    """Each chosen lead-in ("... will consider four things:") with its whole list, or the sentence it
    announces when no list follows; a lead-in followed by nothing retrieved is left out, since it
    says nothing alone (pure).

    A sentence that counts what follows ("The board appoints three directors.") before as many items
    of another marker is a lead-in too (``announces_list``).

    The list is read in document order over every retrieved passage of that document (an overlap
    of chunks is seen once), over all its quotable sentences (short items too), as far as they
    follow one another and open with markers or carry on an item (same line, or the same list
    item block). A list reads whole and in its own order where the first of its sentences was chosen
    (best first): an item chosen on its own ("a) ... at least 7 days' notice") brings its lead-in and
    siblings there, instead of standing apart from them.
    """
    groups = [_list_of(lead, passages) for lead in chosen]
    spans = [{(q[1], q[2]) for q in group} for group in groups]
    docs = [_doc_key(passages[q[0]]) for q in chosen]
    # the first chosen lead-in whose list holds chosen sentence k (another one than k itself)
    owner = {k: next((g for g, held in enumerate(spans) if g != k and len(groups[g]) > 1 and docs[g] == docs[k]
                      and (q[1], q[2]) in held), k) for k, q in enumerate(chosen)}
    out: list[Quote] = []
    seen: set[tuple[int, int]] = set()
    for k in range(len(chosen)):
        for q in [*groups[owner[k]], *groups[k]]:
            if (q[1], q[2]) not in seen:
                seen.add((q[1], q[2]))
                out.append(q)
    return out


def listed_items(quotes: Sequence[Quote], passages: Sequence[Passage]) -> set[tuple[int, int]]:
    """The spans of ``quotes`` that are items of a list whose lead-in is quoted too (``_list_of``) (pure). The numbered
    paragraph after a numbered lead-in that introduces no list ("3.6.3" after "3.6.2 ... the following criteria:",
    quoted as what it announces) is not an item."""
    quoted = {(q[1], q[2]) for q in quotes}

    def sibling(lead: Quote, q: Quote) -> bool:
        return marker_kind(q[3]) == marker_kind(lead[3]) not in (None, "•")

    return {(q[1], q[2]) for lead in quotes for q in _list_of(lead, passages)[1:] if (q[1], q[2]) in quoted
            and not sibling(lead, q)}


def _list_typed(question: str, candidates: Sequence[Quote], passages: Sequence[Passage], typed: Sequence[bool]) -> list[bool]:
    """``typed``, with a lead-in holding what any item of its list holds: it is quoted with the whole list
    ("Reduce spend ... by:" + "• achieving close to 100% delivery ..." + "• ... a minimum 10% reduction"), and the
    first item alone (``typed_candidates``) may hold none of the kind asked (pure)."""
    return [t or (is_lead_in(c[3]) and any(typed_matches(question, q[3]) for q in _list_of(c, passages)[1:]))
            for t, c in zip(typed, candidates)]


def _list_of(lead: Quote, passages: Sequence[Passage]) -> list[Quote]:
    """``[lead]`` for a sentence that introduces no list; a lead-in with its list (``expand_lead_ins``), or
    ``[]`` when nothing retrieved follows it (pure)."""
    doc = _doc_key(passages[lead[0]])
    run = _following(lead, [(r, p) for r, p in enumerate(passages) if _doc_key(p) == doc])
    following = [q[3] for q in run[1:]]
    announced = not is_lead_in(lead[3]) and (announces_list(lead[3], following) or opens_inline_list(lead[3], following))
    if not is_lead_in(lead[3]) and not announced:
        return [lead]
    items = [(a, b) for p in passages if _doc_key(p) == doc for a, b, kind in p.units if kind == "list_item"]
    rows = {(a, b) for p in passages if _doc_key(p) == doc for a, b, kind in p.units if kind == "table_row"}
    continues = [False] + [
        not starts_with_marker(q[3]) and (q[4] or any(a < q[1] < b for a, b in items)) for q in run[1:]
    ]
    end = list_after([q[3] for q in run], 0, continues, LIST_LIMIT, items=[(q[1], q[2]) in rows for q in run],
                     announced=announced, connectors=True)
    end = max(end, 1 + (nested_count(lead[3], following) or same_marker_run(lead[3], following[:LIST_LIMIT])))
    if end == 1:  # no list: what the colon announces is the next sentence ("submitted to:" "Telephone: ...")
        if len(run) < 2:
            return []
        end = 2
    return [lead] + [(q[0], q[1], q[2], q[3]) for q in run[1:end]]


def _following(lead: Quote, passages: Sequence[tuple[int, Passage]]) -> list[tuple[int, int, int, str, bool]]:
    """The lead-in and the quotable sentences right after it in its document: ``(rank, start, end, text, same_line)``,
    ``same_line`` when no line break parts a sentence from the one before (it carries on the same item)."""
    spans: dict[tuple[int, int], tuple[int, Passage]] = {}
    for rank, p in passages:
        for a, b in quotable_sentences(p):
            spans.setdefault((p.start + a, p.start + b), (rank, p))
    ordered = sorted(k for k in spans if k[0] >= lead[1])
    run: list[tuple[int, int, int, str, bool]] = []
    for start, end in ordered:
        rank, p = spans[(start, end)]
        if run:
            gap = _text_between([q for _, q in passages], run[-1][2], start, seam=SEAM)
            if gap is None or len(gap) > _LIST_GAP or gap.strip():
                break  # not the next sentence: something not retrieved (or a heading) lies between
            run.append((rank, start, end, p.text[start - p.start:end - p.start], "\n" not in gap))
        elif (start, end) == (lead[1], lead[2]):
            run.append((rank, start, end, lead[3], False))
        else:
            break
    return run


def _text_between(passages: Sequence[Passage], start: int, end: int, seam: int = 0) -> str | None:
    """The document text in ``[start, end)``, pieced from the passages (two chunks may meet in a gap), less
    any table header row (its labels repeat in every row); ``None`` where no passage covers it, except across a
    ``seam``: up to that many characters between two chunks that do not meet (``completion.SEAM``), a line break."""
    out = []
    pos = start
    while pos < end:
        owner = next((p for p in passages if p.start <= pos < p.end), None)
        if owner is None:
            nxt = min((p.start for p in passages if pos < p.start <= pos + seam), default=None)
            if nxt is None or not any(p.end == pos for p in passages):
                return None
            out.append("\n" * (nxt - pos))
            pos = nxt
            continue
        stop = min(end, owner.end)
        piece = owner.text[pos - owner.start:stop - owner.start]
        for a, b in owner.unquotable:
            if pos <= a and b <= stop and " | " in owner.text[a - owner.start:b - owner.start]:
                piece = piece.replace(owner.text[a - owner.start:b - owner.start], "", 1)
        out.append(piece)
        pos = stop
    gap = "".join(out)
    return gap if gap.strip() else gap[:_LIST_GAP]


def answer_sentence(text: str) -> str:
    """How a quoted sentence reads in the answer: one line; a list item keeps its marker ("4. The general ...")."""
    return " ".join(text.split()) if starts_with_marker(text) else clean_sentence(text)


class ExtractiveAnswerer:
    """Answers by quoting retrieved sentences verbatim, with citations; refuses when unsupported.

    Args:
        embed_model: embeds the candidate sentences (and the question, when no vector is given).
        max_sentences: at most this many sentences are quoted (lead-in list items aside).
        min_support: below this support score for the best sentence, the answer is a refusal.
        next_chunk: the next chunk of a passage's document (``Assistant`` reads it from the store); a quote cut
            off by its chunk's end is completed from it (``completion.py``). Without it, only from the passages.
        previous_chunk: the chunk before a passage's, likewise: a quote that opens its chunk mid-sentence is begun from it.
        near_words: the corpus words the embedding model finds near a word alone (``Assistant`` reads them from the
            retriever's word table): a figure question about a thing no document names ("test strips") is not
            answered by a sentence that names nothing near it (``sibling_kinds.unnamed``). Without it, such a thing
            is left to the other checks.
    """

    backend = "extractive"

    def __init__(
        self, embed_model: "BaseEmbedding", *, max_sentences: int = 4, min_support: float = 0.42, cache_mb: float = 64.0,
        next_chunk: NextChunk | None = None, previous_chunk: NextChunk | None = None,
        near_words: Callable[[str], Collection[str]] | None = None,
    ) -> None:
        self.embed_model = embed_model
        self.near_words = near_words
        self.next_chunk = next_chunk
        self.previous_chunk = previous_chunk
        self.max_sentences: int = checked("max_sentences", max_sentences, PositiveInt)
        self.min_support: float = checked("min_support", min_support, float)
        self._query_vecs: OrderedDict[str, np.ndarray] = OrderedDict()
        self._query_lock = threading.Lock()
        self._vectors = SentenceVectorCache(max_bytes=int(checked("cache_mb", cache_mb, PositiveFloat) * 2**20))

    def stream(
        self,
        question: str,
        passages: Sequence[Passage],
        stats: TermStats,
        question_vec: Sequence[float] | None = None,
    ) -> Iterator[str | Answer]:
        # The answer is chosen whole (sentence selection needs every candidate); it is then
        # released in pieces so every front end shows text the same way for every backend.
        answer = self.answer(question, passages, stats, question_vec)
        yield from text_pieces(answer.text)
        yield answer

    def answer(
        self,
        question: str,
        passages: Sequence[Passage],
        stats: TermStats,
        question_vec: Sequence[float] | None = None,
    ) -> Answer:
        # "When was the person leading the review health secretary?": answered as "When was <the name a retrieved
        # sentence gives that person> health secretary?", that sentence cited first (described.py)
        candidates = candidate_sentences(passages) if descriptions(question) else []
        hop = resolved(question, [c[3] for c in candidates], stats.idf) if candidates else None
        if hop is not None:
            named = self._answer(hop.question, passages, stats, None, candidates[hop.sentence], hop)
            # nothing said of the name the description clearly stands for: whatever else is on the topic is no answer
            # (the documents name the chancellor who announced the review, but not the ICB he chairs)
            return replace(named, question=question) if not named.refused else refusal(question, passages)
        return self._answer(question, passages, stats, question_vec)

    def _answer(
        self,
        question: str,
        passages: Sequence[Passage],
        stats: TermStats,
        question_vec: Sequence[float] | None = None,
        naming: tuple[int, int, int, str] | None = None,
        hop: Hop | None = None,
    ) -> Answer:
        """The answer to ``question``; ``naming``: a sentence quoted first (it names whom the question describes)."""
        series = listed_by_headings(question, passages)
        if series:  # "What are the six core components?": the headings that list them (heading_series.py)
            quotes: list[Quote] = series
        else:
            selection = self.select(question, passages, stats, question_vec)
            if selection is None:
                return refusal(question, passages)
            scored, chosen, leans_on = selection
            before = predecessors([(s.passage_rank, s.start, s.end, s.text) for s in scored], lambda rank: _doc_key(passages[rank]),
                                  lambda doc, a, b: _text_between([p for p in passages if _doc_key(p) == doc], a, b))
            # the best sentence's paragraph or item going on with its detail ("The individual should count slowly to 10
            # seconds ..."): quoted right after it, leaning on it (context.continuation); for quoting only, so no
            # passage is ranked up by a sentence quoted only because it follows another (``supports``)
            # a question asking for a figure, date or name that a chosen sentence gives is answered by it: the next
            # sentence of its paragraph is about something else ("... 170 centres will be open by March 2025." + "The
            # development of neighbourhood health services should ...")
            answered = answer_kind(question) is not None and any(typed_matches(question, scored[i].text) for i in chosen)
            # ... as is one asking "what / which <measure noun>" ("Which pen needle length ...") whose best sentence states
            # a number: "The IFR Panel will normally be held three times a month" + "Meetings will have adequate breaks." (tails.py)
            answered = answered or (asks_quantity(question) and states_quantity(scored[chosen[0]].text))
            goes_on = [] if answered else continuation(
                chosen[0], before, [(s.passage_rank, s.start, s.end, s.text) for s in scored], [s.support for s in scored],
                lambda i, j: _text_between([p for p in passages if _doc_key(p) == _doc_key(passages[scored[i].passage_rank])],
                                           scored[i].end, scored[j].start),
                self.min_support - CONTINUE_DROP, CONTINUE_LIMIT, CONTINUE_WORDS,
                # "The Terms of reference ... are in Appendix six": where more is, not more (unless "where" is asked);
                # "The Care Act 2014" cut off by its chunk's end: judged on a fragment (tails.py)
                lambda k: (not asks_where(question) and points_elsewhere(scored[k].text)) or cut_short(
                    scored[k].text, passages[scored[k].passage_rank].text[scored[k].end - passages[scored[k].passage_rank].start:]))
            leans_on = list(leans_on)
            for previous, k in zip([chosen[0], *goes_on], goes_on):
                leans_on[k] = previous if leans_on[k] is None else leans_on[k]
            chosen = [chosen[0], *goes_on, *(i for i in chosen[1:] if i not in goes_on)]
            if self.next_chunk is not None:  # a list its chunk's end cut off goes on in the next chunk (completion.py)
                passages = lists_run_on([(scored[i].passage_rank, scored[i].start, scored[i].end, scored[i].text)
                                         for i in chosen], passages, _list_of, self.next_chunk)
            # the quote that names what "what/which <N>" asks about goes first; for a question asking for one figure, date
            # or name, a later quote in none of the question's words not already quoted is dropped (quote_order.py)
            texts = {i: " ".join(q[3] for q in expand_lead_ins(
                [(scored[j].passage_rank, scored[j].start, scored[j].end, scored[j].text) for j in with_referents([i], leans_on)],
                passages)) for i in chosen}
            chosen = drop_repeats(lead_first(chosen, texts, question), texts, question, {i: before[i] for i in chosen},
                                  {i: scored[i].lexical for i in chosen})
            quotes = expand_lead_ins([(scored[i].passage_rank, scored[i].start, scored[i].end, scored[i].text)
                                      for i in with_referents(chosen, leans_on)], passages)
        if not quotes:
            return refusal(question, passages)
        if naming is not None and hop is not None:
            # the name only links: what the question asks of it must be said by a sentence besides the naming one
            if not any(asks_of(hop, q[3], passages[q[0]].text[:q[1] - passages[q[0]].start]) for q in [naming, *quotes]):
                return refusal(question, passages)
            if not any(q[1] <= naming[1] < q[2] for q in quotes):
                quotes = [naming, *quotes]
        # Best first, as chosen; a lead-in's list follows it. A long sentence is quoted from the clause that
        # answers; the quote keeps its own offsets, so it stays an exact substring of the document.
        # A quote its chunk's end cut off goes on into the next chunk, to the end of its sentence (completion.py);
        # a line quoted from one chunk and its whole sentence from the next are quoted once.
        # One that breaks off and cannot be completed ends after its last clause, marked "…".
        if not series:  # a quote starts at its sentence, not at its paragraph's number; a quoted list keeps its markers
            quotes = unnumbered(quotes, listed_items(quotes, passages))
        # a quote that opens mid-sentence (a line "(3.7% of total pay), and ..." after "... in 2023/24", or its chunk's
        # start) runs back to its sentence's start, over the chunk before when need be (completion.py)
        quotes, passages = begin_quotes(quotes, passages, self.previous_chunk)
        quotes, wide, stops = complete_quotes(quotes, passages, self.next_chunk)
        cited = drop_contained([self._cited(question, wide.get(rank, passages[rank]), start, end, text, stop)
                                for (rank, start, end, text), stop in zip(quotes, stops)])
        citations, numbers = build_citations(cited)
        return Answer(
            question=question,
            text=render_answer(cited, numbers),
            refused=False,
            citations=citations,
            passages=[wide.get(rank, p) for rank, p in enumerate(passages)],  # a completed quote's passage runs on to its end
            backend=self.backend,
            emphasis=list(dict.fromkeys(w for c in cited for w in emphasis(question, c.text))),
        )

    def supports(
        self, question: str, passages: Sequence[Passage], stats: TermStats, question_vec: Sequence[float] | None = None
    ) -> list[float]:
        """How well each passage answers ``question``: the support of the best sentence this answerer would
        quote from it, alone or among the others (whose sentences may name what it leaves implicit: the
        document's subject, a list's lead-in); 0.0 where it would quote nothing (``reading.read_ranked``).
        Alone, a passage is judged at its rank (``RANK_DECAY``), so that one too weak to be quoted from where
        it is does not move up and get quoted."""
        joint = self._supports_joint(question, passages, stats, question_vec)
        return [max(b, a) for b, a in zip(joint, self.supports_alone(question, passages, stats, question_vec))]

    def supports_below(
        self, question: str, passages: Sequence[Passage], below: Sequence[Passage], stats: TermStats,
        question_vec: Sequence[float] | None = None,
    ) -> list[float]:
        """The support of each of ``below`` (the passages retrieved next after ``passages``) as ``supports`` would
        judge it in the list ``passages + below``: among them all, or alone at its rank."""
        joint = self._supports_joint(question, [*passages, *below], stats, question_vec)[len(passages):]
        alone = self.supports_alone(question, below, stats, question_vec, len(passages))
        return [max(b, a) for b, a in zip(joint, alone)]

    def _supports_joint(
        self, question: str, passages: Sequence[Passage], stats: TermStats, question_vec: Sequence[float] | None
    ) -> list[float]:
        """Each passage's best support among the sentences chosen from all ``passages`` together (0.0: none)."""
        best = [0.0] * len(passages)
        joint = self.select(question, passages, stats, question_vec)
        if joint is not None:
            scored, chosen, _ = joint
            for i in chosen:
                best[scored[i].passage_rank] = max(best[scored[i].passage_rank], scored[i].support)
        return best

    def supports_alone(
        self, question: str, passages: Sequence[Passage], stats: TermStats, question_vec: Sequence[float] | None = None,
        first_rank: int = 0,
    ) -> list[float]:
        """Each passage's support judged on its own at its rank (``first_rank`` for ``passages[0]``); 0.0 where
        this answerer would quote nothing from it."""
        best = [0.0] * len(passages)
        for i, passage in enumerate(passages):
            alone = self.select(question, [passage], stats, question_vec, first_rank + i)
            if alone is not None:
                scored, chosen, _ = alone
                best[i] = max((scored[j].support for j in chosen), default=0.0)
        return best

    def select(
        self,
        question: str,
        passages: Sequence[Passage],
        stats: TermStats,
        question_vec: Sequence[float] | None = None,
        first_rank: int = 0,
    ) -> tuple[list[ScoredSentence], list[int], list[int | None]] | None:
        """The scored candidate sentences, the indices of those to quote and what each leans on
        (``context.antecedents``); None when nothing meets the question and its constraints.
        ``first_rank``: the retrieval rank of ``passages[0]`` (its sentences' ``RANK_DECAY``)."""

        def blend(dense: float, lexical: float, rank: int) -> float:
            return _blend(dense, lexical, rank + first_rank)

        candidates = candidate_sentences(passages)
        # "E. Integrated intermediate care with a 'Home First' approach": a question picking one part or item of a
        # set is answered by that item's heading (heading_answers.py); no other question may quote a heading
        answering_headings = heading_candidates(question, passages, stats.idf)
        if answering_headings:
            candidates = sorted(candidates + answering_headings, key=lambda c: (c[0], c[1]))
        if not candidates:
            return None
        qvec = np.asarray(question_vec if question_vec is not None else self.embed_model.get_query_embedding(question))
        vecs = self._vectors.get([clean_sentence(c[3]) for c in candidates], self.embed_model.get_text_embedding_batch)
        question_terms = topic_terms(question)  # "what did X say about Y": sentences are scored on Y
        if (owner := owner_words(question, _doc_names(passages))) is not None:
            # the name of the passages' documents' owner is in all of them; the sentence giving it answers nothing
            # half the pull only: the name's words may be what a sentence lists ("District of East Cambridgeshire")
            mean = qvec / max(float(np.linalg.norm(qvec)), 1e-12) + self._query_vector(owner.question)
            qvec = mean / max(float(np.linalg.norm(mean)), 1e-12)
            question_terms = topic_terms(owner.question)
        scored = score_sentences(question_terms, qvec, candidates, vecs, stats, blend)
        typed = typed_candidates(question, candidates, passages)
        if typed is not None and asks_change(question):
            # "by how much" takes only a figure said as a change, which may be in a later item of a lead-in's list
            # than the first (for other kinds, typing whole lists moved lead-ins up: dev c015 lost its rank 1)
            typed = _list_typed(question, candidates, passages, typed)
        kin = self._asked_kin(question, candidates, passages)  # "which system": "the online portal (Apollo)"
        met = self._constrained(question, owner, candidates, passages, kin)
        if kin:
            # a sentence met only through a kind word must say all else the question asks: the kind word stands in for
            # its one missing word ("which agency audits ..." is not answered by "the IFR Case Manager will record ...")
            plain_met = self._constrained(question, owner, candidates, passages)
            met = [m and (p or s.lexical >= KIN_COVERAGE) for m, p, s in zip(met, plain_met, scored)]
        # what a reference list cites is not what the document says
        allowed = [m and said for m, said in zip(met, outside_reference_lists(question, candidates, passages))]
        allowed = [ok and (asks_where(question) or not is_pointer(c[3])) for ok, c in zip(allowed, candidates)]  # "..., see the rationale section"
        if not asks_scope(question):
            # "This section outlines how the criteria will be applied ...": what a section covers, not what it says;
            # kept where it holds the kind asked for ("... in 2025/26" for "which year") (signposts.py)
            allowed = [ok and (not announces_scope(c[3]) or (typed is not None and typed[i]))
                       for i, (ok, c) in enumerate(zip(allowed, candidates))]
        if actor := asked_actor(question):
            # "must the IFR Team determine": "The Screening Group will determine ..." states another body's duty
            known = acronyms([p.text for p in passages])
            # a role the sentence's document never names ("a care coordinator" in an ambulance target's plan), unless
            # the sentence puts a duty in the passive, naming no one
            docs: dict[str, list[str]] = {}
            for p in passages:
                docs.setdefault(_doc_key(p), []).append(f"{p.title}\n{p.publisher}\n{p.section or ''}\n{p.text}")
            named = {doc: names_actor(actor, "\n".join(texts), known) for doc, texts in docs.items()}
            # ... or names the asked actor only where another's act reaches it ("will write to the requesting clinician")
            as_object = not receives(question)
            allowed = [ok and (named[_doc_key(passages[c[0]])] or passive_duty(c[3]))
                       and not states_other_duty(actor, c[3], known, as_object)
                       # "The IFR Team will advise ... The completed letter will be sent ...": the passive is that team's act
                       and not passes_to_other(actor, c[3], _sentence_before(passages, c[0], c[1]), known)
                       for ok, c in zip(allowed, candidates)]
        if kinds := asked_kinds(asking_part(question), ASKING | GENERIC):
            # "reducing *bank* use" does not answer "what reduction in *locum* use": the head asked about, named only as
            # another kind of it, and the asked kind neither in the sentence nor just before it (``sibling_kinds``)
            arounds = ["\n".join((p.title or "", p.section or "", told_before(p, start, 1)[-LEANS_ON:]))
                       for p, start in ((passages[c[0]], c[1]) for c in candidates)]
            defined = acronyms([p.text for p in passages])
            allowed = [ok and sibling_of(kinds, c[3], around, question, defined) is None
                       for ok, c, around in zip(allowed, candidates, arounds)]
            if typed is not None:
                # "spend on *bank staff*": a sentence naming no word of it (nor just before it) is about something else,
                # when the indexed documents use its head at all (else the head is the question's own wording)
                near = functools.cache(self.near_words) if self.near_words is not None else None  # once a word
                allowed = [ok and unnamed(kinds, c[3], around, lambda stem: stats.df.get(stem, 0) > 0, question, defined,
                                          near) is None
                           for ok, c, around in zip(allowed, candidates, arounds)]
        post = post_kinds(asking_part(question))  # "improvement in *quality*": not "... in *productivity*"
        # a change or spend "in <word>" asks for its figure however the question is put ("What cut in ...?")
        if (kinds and answer_kind(question) in ("figure", "money")) or post:
            # "a 30% reduction in agency use, while bank use stays level" gives no figure for bank use: every
            # figure sits in a clause of another kind of the asked measure (``sibling_kinds.other_measure``)
            defined = acronyms([p.text for p in passages])
            allowed = [ok and other_measure(kinds, c[3], defined, post, question) is None for ok, c in zip(allowed, candidates)]
        if typed is not None and (wanted := set(asked_attribute(question))):
            # "Publication reference: PR00557" for "What is the publication reference ...?": it names what is
            # asked for and holds one, which a short line's embedding alone undersells
            scored = [replace(s, support=s.support + TYPED_CREDIT) if t and wanted <= set(terms(s.text)) else s
                      for s, t in zip(scored, typed)]
        if (asked := asked_type(question)) is not None:
            # "If question 5 is no, the process stops" for "which question ends the process": it names the asked
            # kind of thing by its label, i.e. holds what is asked for, as a figure does for "how many"
            scored = [replace(s, support=s.support + TYPED_CREDIT) if labels_instance(asked[1], s.text) else s
                      for s in scored]
        if roles := asked_roles(question):
            # "Ratified by: ...", a signature: stated once for the whole document, in none of the question's words
            stated = [line_roles(text, passages[rank].text[:start - passages[rank].start])
                      for rank, start, _, text in candidates]
            supports = lifted([s.support for s in scored], stated, [_doc_key(passages[c[0]]) for c in candidates], roles,
                              TYPED_CREDIT)
            scored = [replace(s, support=v) for s, v in zip(scored, supports)]
        headed = [under_asked_heading(question, passages[c[0]], c[1]) or c in answering_headings for c in candidates]
        if any(headed):  # "Kidney replacement therapy" / "Dialysis or ...": the heading names what is asked (definitions.py)
            top = max(s.support for s in scored)
            scored = [replace(s, support=max(s.support, top + TYPED_CREDIT)) if h else s for s, h in zip(scored, headed)]
        scored = credited(question, scored, self.min_support, idf=stats.idf)  # a yes/no question: what settles it first
        if typed is not None and answer_kind(question) == "date" and (
                cond := condition_typed(question, [c[3] for c in candidates])) is not None:
            # "A treatment may be considered experimental where ...:" answers "When is a treatment considered
            # experimental?" as a date would: a condition on what is asked is the kind asked for (conditions.py)
            typed = [t or (c and ok) for t, c, ok in zip(typed, cond, allowed)]
        # only "when" may ask "under what condition"; "on what date" asks for a date
        plain = PLAIN if answer_kind(question) == "date" and re.search(r"\bwhen\b", asking_part(question), re.I) else None
        before = predecessors(candidates, lambda rank: _doc_key(passages[rank]),
                              lambda doc, a, b: _text_between([p for p in passages if _doc_key(p) == doc], a, b))
        leans_on = antecedents(before, candidates)
        # "Almost a year on from their establishment, ..." answers "how long after ICSs were set up did the government
        # publish ...?" with the sentence before it ("The Government has today published ..."): quoted together
        leans_on = [teller(question, i, before, candidates) if anchored else j
                    for i, (j, anchored) in enumerate(zip(leans_on, from_anchor(question, candidates, passages)))]
        lists = list_items(before, candidates, LIST_LIMIT)
        scored = with_antecedents(question_terms, qvec, scored, vecs, leans_on, stats, blend)
        scored = with_lists(question_terms, qvec, scored, vecs, lists, stats, blend, LIST_WEIGHT, leans_on)
        held = [set(t) for t in distinct_terms(c[3] for c in candidates)]
        held = [h.union(*(held[k] for k in items)) for h, items in zip(held, lists)]
        held = [h | held[j] if j is not None else h for h, j in zip(held, leans_on)]
        cover = QuestionCover(question_terms, {t: stats.idf(t) for t in question_terms})
        chosen = select_sentences(scored, vecs, self.max_sentences, self.min_support, typed, allowed, plain,
                                  gain=cover.gain_within(held, [_doc_key(passages[c[0]]) for c in candidates]), before=before,
                                  two_part=asks_two_things(question),
                                  complete=states_quantity if asks_quantity(question) else lambda _: False)
        return (scored, chosen, leans_on) if chosen else None

    @staticmethod
    def _constrained(question: str, owner: OwnerWords | None, candidates: Sequence[tuple[int, int, int, str]],
                     passages: Sequence[Passage], kin: frozenset[str] = frozenset()) -> list[bool]:
        """``constrained``; a sentence of a document of the owner the question names is judged on the question with
        the name put as "it" (its words are in the document's metadata; "When was <name> established?" is not
        about "Cambridgeshire")."""
        met = constrained(question, candidates, passages, kin)
        if owner is None:
            return met
        own = constrained(owner.question, candidates, passages, kin)
        return [o if passages[c[0]].publisher in owner.publishers else m for m, o, c in zip(met, own, candidates)]

    def _query_vector(self, text: str) -> np.ndarray:
        """The query embedding of ``text``, kept (a question's sentences are selected many times over)."""
        with self._query_lock:
            vec = self._query_vecs.get(text)
        if vec is None:
            vec = np.asarray(self.embed_model.get_query_embedding(text))
            vec = vec / max(float(np.linalg.norm(vec)), 1e-12)
            with self._query_lock:
                self._query_vecs[text] = vec
                while len(self._query_vecs) > 64:
                    self._query_vecs.popitem(last=False)
        return vec

    def _asked_kin(self, question: str, candidates: Sequence[tuple[int, int, int, str]],
                   passages: Sequence[Passage]) -> frozenset[str]:
        """For a "which <N>" question nothing retrieved calls N: the kind words of the names the candidates give
        that the model finds alike to N ("system": "portal"; ``asked_kin``); empty otherwise."""
        asked = asked_type(question)
        if asked is None or asked[1] in set(terms("\n".join(f"{p.title}\n{p.section or ''}\n{p.text}" for p in passages))):
            return frozenset()

        def similarity(word: str, words: Sequence[str]) -> list[float]:
            vecs = self._vectors.get([word, *words], self.embed_model.get_text_embedding_batch)
            return [float(v @ vecs[0]) for v in vecs[1:]]

        return kin_words(asked[0].lower(), [c[3] for c in candidates], similarity, question)

    @staticmethod
    def _cited(question: str, passage: Passage, start: int, end: int, text: str, stop: int | None = None) -> CitedSentence:
        """The quote of ``text`` for ``question``: the clauses that answer (``answer_span``), ended at ``stop`` (the
        sentence breaks off after it: ``completion.cut_short``) and marked "…" where the sentence goes on."""
        a, b = answer_span(question, text)
        if stop is not None and a < stop:
            b = min(b, stop)
            if b == len(text.rstrip()):
                return CitedSentence(passage, start + a, start + b, elided(text, (a, b), answer_sentence(text[a:b])) + " …")
        if (a, b) == (0, len(text)):
            return CitedSentence(passage, start, end, answer_sentence(text))
        return CitedSentence(passage, start + a, start + b, elided(text, (a, b), answer_sentence(text[a:b])))


class SentenceVectorCache:
    """Sentence text -> unit vector, most recently used kept; only new sentences are embedded.

    Embedding the candidate sentences dominates an answer's time, and the same passages come up for
    many questions. (Vectors pooled from the chunk's own forward pass at ingest were tried: cheaper,
    but they lowered answer quality; see benchmarks/README.md.)

    Bounded in bytes (``max_bytes``: the text, the vector and their bookkeeping, ``entry_bytes``),
    since sentences vary in length; ``max_items`` optionally bounds the count too.
    """

    def __init__(self, max_bytes: int = 64 * 2**20, max_items: int | None = None) -> None:
        self.max_bytes = checked("max_bytes", max_bytes, PositiveInt)
        self._max_items = max_items
        self._items: OrderedDict[str, np.ndarray] = OrderedDict()
        self._bytes = 0
        self._pending: dict[str, threading.Event] = {}
        self._lock = threading.Lock()

    @staticmethod
    def entry_bytes(text: str, vector: np.ndarray) -> int:
        """What one cached sentence costs: its string, its vector's data and objects, and a dict slot."""
        return sys.getsizeof(text) + sys.getsizeof(vector) + vector.nbytes + _ENTRY_OVERHEAD

    @property
    def nbytes(self) -> int:
        return self._bytes

    def get(self, texts: Sequence[str], embed: "Callable[[list[str]], Sequence[Sequence[float]]]") -> np.ndarray:
        """Vectors of ``texts`` (rows in order); ``embed`` is called only for texts no one has embedded yet.

        A text another thread is embedding right now is waited for, not embedded twice (concurrent
        askers retrieve the same passages).
        """
        mine_done: dict[str, np.ndarray] = {}  # what this call embedded, whether or not the cache kept it
        for _ in range(2):
            with self._lock:
                distinct = list(dict.fromkeys(texts))
                mine = [t for t in distinct if t not in self._items and t not in self._pending and t not in mine_done]
                others = {id(e): e for e in (self._pending.get(t) for t in distinct) if e is not None}
                done = threading.Event()
                for t in mine:
                    self._pending[t] = done
            if mine:
                try:
                    fresh = np.asarray(embed(mine), dtype=np.float32)
                    with self._lock:
                        for text, vector in zip(mine, fresh):
                            vector = vector.copy()  # its own buffer: a row would keep the whole batch alive
                            self._bytes += self.entry_bytes(text, vector) - self._drop(text)
                            self._items[text] = mine_done[text] = vector
                        self._evict()
                finally:
                    with self._lock:
                        for t in mine:
                            self._pending.pop(t, None)
                    done.set()
            for event in others.values():
                event.wait()
            with self._lock:
                found = [self._items.get(t, mine_done.get(t)) for t in texts]
                for t in distinct:
                    if t in self._items:
                        self._items.move_to_end(t)
            if all(v is not None for v in found):
                return np.stack(found) if found else np.zeros((0, 0), np.float32)  # type: ignore[arg-type]
        # evicted meanwhile (more sentences in flight than the cache holds) or another embedder failed
        return np.asarray(embed(list(texts)), dtype=np.float32)

    def _drop(self, text: str) -> int:
        vector = self._items.pop(text, None)
        return 0 if vector is None else self.entry_bytes(text, vector)

    def _evict(self) -> None:
        while self._items and (self._bytes > self.max_bytes or (self._max_items is not None and len(self._items) > self._max_items)):
            text, vector = self._items.popitem(last=False)
            self._bytes -= self.entry_bytes(text, vector)

    def __len__(self) -> int:
        return len(self._items)


def teller(question: str, i: int, before: Sequence[int | None], candidates: Sequence[tuple[int, int, int, str]]) -> int | None:
    """The nearest of the sentences before candidate ``i`` (up to ``TOLD_BEFORE``) that tells the event a "how long
    after A did B?" question asks about (``durations.tells_asked_event``), or None (pure)."""
    j = before[i]
    for _ in range(TOLD_BEFORE):
        if j is None or tells_asked_event(question, candidates[j][3]):
            return j
        j = before[j]
    return None


def _doc_names(passages: Sequence[Passage]) -> list[DocName]:
    """The passages' documents' names (``retrieval/naming.py``), one per document."""
    return list({p.source: DocName(p.source, p.title or "", p.source, p.publisher or "") for p in passages}.values())


def _blend(dense: float, lexical: float, rank: int) -> float:
    """A sentence's support from its embedding similarity, its coverage of the question and its passage's rank."""
    return DENSE_WEIGHT * dense + (1 - DENSE_WEIGHT) * lexical - RANK_DECAY * rank


def _doc_key(passage: Passage) -> str:
    return passage.path or passage.source


def _sentence_before(passages: Sequence[Passage], rank: int, start: int) -> str:
    """The sentence before document offset ``start`` in passage ``rank``'s document, read from whichever retrieved
    passage holds the most of what comes before it: a chunk may begin at the sentence itself (pure)."""
    doc = _doc_key(passages[rank])
    holding = [p for p in passages if _doc_key(p) == doc and p.start <= start <= p.start + len(p.text)]
    return told_before(min(holding, key=lambda p: p.start), start, 1) if holding else ""
