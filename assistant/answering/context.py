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

from assistant.text.sentences import starts_with_marker

# A back-reference in a sentence's first few words: the sentence is about what the one before it said.
_REFERENCE = re.compile(
    r"^\W*(?:[\w’']+,?\s+){0,2}?(?:these|this|they|those|such|she|he|both|together)\b(?!\s+(?:year|month|week|document|paper|guidance|section|report)\b)",
    re.I,
)
_GAP = 4  # characters between a sentence and the one it refers to (a newline or two)

Quote = tuple[int, int, int, str]  # (passage_rank, doc_start, doc_end, text)


def opens_with_reference(sentence: str) -> bool:
    """The sentence opens by referring to what came before ("These include ...", "Together, they ...") (pure).

    A list item is not counted: its marker already ties it to the list's lead-in.
    """
    return not starts_with_marker(sentence) and bool(_REFERENCE.match(sentence.lstrip()))


def antecedents(candidates: Sequence[Quote], doc_of: Callable[[int], str], between: Callable[[str, int, int], str | None]) -> list[int | None]:
    """For each candidate that opens with a back-reference, the index of the candidate right before it
    in the same document (nothing but a line break or two between them); ``None`` otherwise (pure).

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
            if not opens_with_reference(candidates[i][3]) or candidates[before][2] > candidates[i][1]:
                continue
            gap = between(doc, candidates[before][2], candidates[i][1])
            if gap is not None and len(gap) <= _GAP and not gap.strip():
                out[i] = before
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
