"""What a question compares: the documents among the passages, the ones it names, "what changed" questions.

A "what changed" question is told by its form, never its wording: a comparison cue (differ,
compare, versus, changed, "what's new"; or "than", "since", "and" when both sides are named)
with sides it names by a run of title words, a period or a version. ``answering.currency`` lays
the answer out; this module only reads the question and the passages' documents (pure functions).

Example::

    >>> sides = comparison_sides("How does the A&E target in the Medium Term Planning Framework "
    ...                          "differ from the 2025/26 guidance?", documents(passages))
    >>> topic_question(question, sides)
    'What is the A&E target?'
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from assistant.results import Citation, Passage
from assistant.text.dates import date_ordinal
from assistant.text.periods import Period, find_periods, parse_period, without_periods
from assistant.text.terms import STOPWORDS

# "what changed" cues: a strong cue with one named side looks for the other among the passages;
# a weak one ("than", "since") needs both sides named.
_STRONG_CUE = re.compile(
    r"\b(?:differ\w*|compar\w*|versus|vs\.?|contrast\w*|chang(?:ed|ing)|what(?:'s|\s+is)\s+new|revis(?:ed|ions?))\b"
    r"|\bchanges?\s+(?:from|since|between|in|to)\b",
    re.I,
)
_WEAK_CUE = re.compile(r"\b(?:than|since|from|previous|earlier|before|and)\b", re.I)
_VERSION_NAMED = re.compile(r"\b(?:version|v)\s?(\d{1,3}(?:\.\d{1,3})?)\b", re.I)
_WORD = re.compile(r"[a-z0-9]+(?:[./][a-z0-9]+)*")
_MIN_TITLE_RUN = 3
_REFERENCE_IN_TITLE = re.compile(r"\s*\((?:[A-Z]{2,5}\d{3,6}\w*)\)\s*")


# -- the documents among the passages ----------------------------------------------------------------
@dataclass(frozen=True)
class Doc:
    """One document among the retrieved passages, with what currency needs of it."""

    key: str
    title: str
    source: str = ""
    date: str = ""
    version: str = ""
    period: Period | None = None
    superseded_by: str | None = None
    superseded_date: str = ""
    rank: int = 0
    """Rank of its best passage (0 = the top one)."""

    @property
    def superseded(self) -> bool:
        return self.superseded_by is not None

    def when(self) -> tuple[int, int]:
        """Date order: the period's first year, then the publication date."""
        start = self.period.start if self.period else date_ordinal(self.date) // 10000
        return start, date_ordinal(self.date)


def doc_key(item: Passage | Citation) -> str:
    return getattr(item, "path", "") or item.source


def documents(passages: Sequence[Passage]) -> list[Doc]:
    """The distinct documents of ``passages``, best-ranked first (pure)."""
    out: dict[str, Doc] = {}
    for rank, p in enumerate(passages):
        key = doc_key(p)
        if key not in out:
            out[key] = Doc(key, p.title or p.source, p.source, p.date, p.version, parse_period(p.period), p.superseded_by,
                           p.superseded_date, rank)
    return list(out.values())


def comparison_passages(
    question: str, passages: Sequence[Passage], deeper: Sequence[Passage], search: Callable[[Doc, str], list[Passage]]
) -> list[Passage]:
    """For a "what changed" question, each side's own passages, side by side; other questions' ``passages`` unchanged.

    The sides are looked for among ``deeper`` (a deeper search's passages: a document the question
    names may rank below the top few); ``search(doc, query)`` searches one document for the question's
    topic (``topic_question``).
    """
    docs = documents([*passages, *deeper])
    sides = comparison_sides(question, docs)
    if len(sides) < 2:
        return list(passages)
    topic = topic_question(question, sides)
    found = [search(side, topic) or [p for p in passages if doc_key(p) == side.key] for side in sides]
    # interleaved by rank (each side's best first): the passages stay a ranking of the question's evidence
    return [p for rank in range(max(map(len, found))) for side in found if rank < len(side) for p in side[rank:rank + 1]]


def looks_like_comparison(question: str) -> bool:
    """Whether the question has the form of a "what changed" question at all (a cue, or two periods) (pure).

    Cheap and loose: it only decides whether to look deeper for the sides (``comparison_sides`` decides).
    """
    named = len(find_periods(question)) + len(_VERSION_NAMED.findall(question))
    return bool(_STRONG_CUE.search(question) or named >= 2 or (named and _WEAK_CUE.search(question)))


def short_title(title: str) -> str:
    """A title without its period or publication reference, for labels (pure).

    ``"2025/26 priorities and operational planning guidance (PRN01625)"`` -> ``"Priorities and
    operational planning guidance"``.
    """
    text = " ".join(without_periods(_REFERENCE_IN_TITLE.sub(" ", title)).split()).strip(" ,;:–—-")
    if not text:
        return title
    return text[0].upper() + text[1:]


# -- the question ----------------------------------------------------------------------------------
def _words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def title_span(question: str, title: str) -> tuple[int, int] | None:
    """Where the question names the document by a run of at least three words of its title (pure)."""
    spans = [(m.start(), m.end()) for m in _WORD.finditer(question.casefold())]
    q, t = [question.casefold()[a:b] for a, b in spans], _words(short_title(title))
    for n in range(len(t), _MIN_TITLE_RUN - 1, -1):
        for i in range(len(t) - n + 1):
            run = t[i:i + n]
            if sum(w not in STOPWORDS for w in run) < 2:
                continue
            for j in range(len(q) - n + 1):
                if q[j:j + n] == run:
                    return spans[j][0], spans[j + n - 1][1]
    return None


def names_title(question: str, title: str) -> bool:
    """Whether the question names the document by a run of at least three words of its title (pure)."""
    return title_span(question, title) is not None


def _near_words(question: str, period_text: str) -> set[str]:
    """Content words right around a period in the question ("the 2025/26 *guidance*")."""
    words = _words(question)
    target = _words(period_text)[:1]
    out: set[str] = set()
    for i, w in enumerate(words):
        if target and w == target[0]:
            out.update(x for x in words[max(0, i - 2):i + 3] if x not in STOPWORDS and not x[:1].isdigit())
    return out


_PERIOD_IN_QUESTION = re.compile(r"20\d{2}\s*[/–-]\s*\d{2,4}(?:\s*(?:to|[–-])\s*20\d{2}\s*[/–-]\s*\d{2,4})?")
_CONNECTOR = re.compile(r"(?:\b(?:in|from|with|than|and|versus|vs\.?|to|for|under|set\s+(?:out\s+)?(?:in|for)|compared\s+(?:with|to))\s+)?(?:\bthe\s+)?$", re.I)


def topic_question(question: str, docs: Sequence[Doc]) -> str:
    """The question without the names of the documents, periods and versions it compares (pure).

    ``"How does the 4-hour A&E target in the Medium Term Planning Framework differ from the 2025/26
    guidance?"`` -> ``"How does the 4-hour A&E target differ?"``: what each side is asked about.
    """
    spans: list[tuple[int, int]] = []
    for doc in docs:
        span = title_span(question, doc.title)
        if span:
            spans.append(span)
    for m in _PERIOD_IN_QUESTION.finditer(question):
        end = m.end()
        following = re.match(r"\s+([A-Za-z]+)", question[end:])
        if following and any(following.group(1).casefold() in _words(d.title) for d in docs):
            end += following.end()  # "the 2025/26 *guidance*"
        spans.append((m.start(), end))
    spans += [(m.start(), m.end()) for m in _VERSION_NAMED.finditer(question)]
    merged: list[tuple[int, int]] = []
    for a, b in sorted(spans):  # a title may hold a period: overlapping names go as one
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    text = question
    for a, b in reversed(merged):
        head = _CONNECTOR.sub("", text[:a])
        text = head.rstrip() + " " + text[b:].lstrip()
    text = re.sub(r"\s+([?.,;:!])", r"\1", " ".join(text.split()))
    text = re.sub(r"(?:\s+\b(?:from|with|than|and|versus|vs\.?|to|in|for|between|of|the))+\s*([?.!]?)$", r"\1", text).strip()
    # "How does the target differ?" asks each side "What is the target?"
    text = _STRAY_CONNECTOR.sub("", text)
    form = _HOW_DIFFER.match(text) or _WHAT_DIFFERENCE.match(text) or _WHAT_CHANGED.match(text) or _COMPARE_ON.match(text)
    if form and _words(form.group("subject")):
        subject = form.group("subject").strip()
        subject = subject if _words(subject)[:1] == ["the"] else "the " + subject
        text = f"What {'are' if _plural(subject) else 'is'} {subject}?"
    return text if len(_words(text)) >= 2 else question


_HOW_DIFFER = re.compile(
    r"^how\s+(?:does|do|did|has|have|will|would|is|are)\s+(?P<subject>.+?)\s+(?:differ|compare|chang(?:e|ed)|vary|contrast|moved?|been\s+changed)\b.*$",
    re.I,
)
_STRAY_CONNECTOR = re.compile(r"\b(?:between|and|from|with|than|versus|vs\.?|since)\s+(?=(?:of|on|about|in|for|to)\b)", re.I)
_WHAT_CHANGED = re.compile(r"^what(?:'s|\s+has|\s+have)?\s+changed\s+(?:in|about|to|for|with|on|of)\s+(?P<subject>.+?)[?.!]?$", re.I)
_COMPARE_ON = re.compile(r"^compare\b.*?\b(?:on|for|about|in terms of|regarding)\s+(?P<subject>.+?)[?.!]?$", re.I)
_WHAT_DIFFERENCE = re.compile(r"^what(?:'s|\s+is|\s+are)\s+(?:the\s+)?differences?\s+(?:in|between|of|for)\s+(?P<subject>.+?)[?.!]?$", re.I)


def _plural(subject: str) -> bool:
    head = _words(subject)[-1:] or [""]
    return head[0].endswith("s") and not head[0].endswith(("ss", "us", "is"))


def named_documents(question: str, docs: Sequence[Doc]) -> list[Doc]:
    """The documents among ``docs`` that the question names, in the order it names them (pure).

    A document is named by a run of its title's words, by a period it covers (narrowed by the words
    next to the period, "the 2025/26 *guidance*", when several cover it) or by its version.
    """
    found: list[tuple[int, Doc]] = []
    folded = question.casefold()
    for doc in docs:
        if names_title(question, doc.title):
            words = _words(short_title(doc.title))
            pos = folded.find(words[0]) if words else 0
            found.append((pos if pos >= 0 else 0, doc))
    for m in _PERIOD_IN_QUESTION.finditer(question):
        period = parse_period(m.group(0))
        if period is None:
            continue
        covering = [d for d in docs if d.period is not None and d.period.overlaps(period)]
        near = _near_words(question, m.group(0))
        narrowed = [d for d in covering if near & set(_words(d.title))] or covering
        if narrowed:
            found.append((m.start(), narrowed[0]))
    for m in _VERSION_NAMED.finditer(question):
        found += [(m.start(), d) for d in docs if d.version and d.version == m.group(1)][:1]
    out: list[Doc] = []
    for _, doc in sorted(found, key=lambda item: item[0]):
        if doc not in out:
            out.append(doc)
    return out


def related(a: Doc, b: Doc) -> bool:
    """Two documents one may compare: different periods, or one replaces the other, or two versions."""
    if a.period and b.period and a.period != b.period:
        return True
    if _replaced_by(a, b) or _replaced_by(b, a):
        return True
    return bool(a.version and b.version and a.version != b.version and short_title(a.title) == short_title(b.title))


def _replaced_by(old: Doc, new: Doc) -> bool:
    # superseded_by holds the successor's title, with ", version N" when the two titles are the same
    return bool(old.superseded_by) and (old.superseded_by or "").casefold().startswith(new.title.casefold())


def comparison_sides(question: str, docs: Sequence[Doc]) -> list[Doc]:
    """The documents a "what changed" question sets side by side, in date order; [] when it is not one (pure).

    It is one when it names two related documents (by title, period or version) with a cue such as
    "than" or "since" (or none at all when it names two periods), or names one with a strong cue
    ("differ", "compare", "changed", "versus"): the other side is then the best-ranked related
    document among the passages.
    """
    named = named_documents(question, docs)
    strong = bool(_STRONG_CUE.search(question))
    periods = {str(p) for p in find_periods(question)}
    sides = [d for d in named if any(related(d, o) for o in named if o is not d)]
    if len(sides) >= 2 and (strong or _WEAK_CUE.search(question) or len(periods) >= 2):
        return sorted(sides[:3], key=Doc.when)
    if strong and named:
        other = next((d for d in docs if d not in named and related(d, named[0])), None)
        if other is not None:
            return sorted([named[0], other], key=Doc.when)
    return []
