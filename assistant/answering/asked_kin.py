"""A "which <N>" question answered by a sentence that names an N under another kind word.

``asked_type`` reads the N of "which N ..."; ``constraints.meets`` refuses a sentence when nothing
retrieved uses N, since then nothing retrieved says which N. But documents name things by their own
kind word: "Through which online *system* are IFRs submitted?" is answered by "submitted through the
online *portal* (Apollo)", "which *committee* approves funding" by "The IFR *Panel* can only approve
funding", "which *initiative* did NHS England launch" by "the Clinical and Operational Excellence
*programme*". Such a sentence names a particular thing (a capitalised name, or a name in brackets) and
the kind word of that name is close to N.

Only the kind words of names are compared (``kind_nouns``): the last word of a capitalised name ("IFR
Screening *Group*"), the word right after a name of two words or more ("Operational Excellence
*programme*") and the word right before a bracketed name ("online *portal* (Apollo)"). Comparing N with
every word of a passage would not work: single words embedded alone are close for many unrelated pairs
(all-MiniLM-L6-v2: "committee"/"members" 0.57, "body"/"health" 0.55, while "system"/"portal" is 0.35), so
the kind word must be a name's. A name's kind word is kept when the model finds it at least
``MIN_SIMILARITY`` alike to N (pairs in tests/test_asked_kin.py), and ``constraints.meets`` then takes a
sentence giving a name of that kind for an N. "Which wholesaler supplies Insupen needles?" stays refused:
"Insupen needles" is a one-word name (its next word is not taken), and "wholesaler"/"needles" is 0.15.

Example::

    >>> kind_nouns("The request must be submitted through the online portal (Apollo).")
    ['portal']
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from assistant.text.terms import STOPWORDS, terms

MIN_SIMILARITY = 0.34  # cosine of the two words (all-MiniLM-L6-v2): "system"/"portal" 0.35; pairs in the tests
_TOKEN = re.compile(r"\(|\)|[A-Za-z][\w&.’'-]*\w|[A-Za-z]")
_NAME_JOINERS = frozenset({"and", "of", "for", "&"})  # inside a name: "Clinical and Operational Excellence"
_CAPITALISED = re.compile(r"[A-Z]")
# Function words are no kind words; "document" is a stopword for retrieval ("what does the document say") only.
_FUNCTION = STOPWORDS - {"document", "documents"}


def kind_nouns(sentence: str) -> list[str]:
    """The kind words of the names ``sentence`` gives, lower case, once each (pure).

    "IFR Screening Group" -> "group"; "the Operational Excellence programme" -> "programme"; "the online portal
    (Apollo)" -> "portal". The sentence's first word is not taken for a name by its capital alone.
    """
    tokens = _TOKEN.findall(sentence)
    found: list[str] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token == "(" and i > 0 and i + 1 < len(tokens) and _CAPITALISED.match(tokens[i + 1]):
            before = tokens[i - 1]  # "portal (Apollo)", "document (PPSD)"
            if before.islower() and before not in _FUNCTION:
                found.append(before)
            i += 1
            continue
        if _CAPITALISED.match(token) and (i > 0 or len(tokens) > 1 and _CAPITALISED.match(tokens[1])):
            j = i
            run: list[str] = []
            while j < len(tokens) and (_CAPITALISED.match(tokens[j]) or (
                    tokens[j] in _NAME_JOINERS and run and j + 1 < len(tokens) and _CAPITALISED.match(tokens[j + 1]))):
                run.append(tokens[j])
                j += 1
            if len(run) >= 2 and not run[-1].isupper():
                found.append(run[-1].lower())  # "IFR Screening Group"
            # not after a one-word name, mostly used as an adjective ("NHS providers", "Insupen needles")
            if (len(run) >= 2 and j < len(tokens) and tokens[j].islower() and tokens[j] not in _FUNCTION
                    and not tokens[j].endswith("ly")):
                found.append(tokens[j])  # "the Operational Excellence programme"
            i = j
            continue
        i += 1
    return list(dict.fromkeys(w for w in found if w.isalpha() and len(w) > 2 and w not in _FUNCTION))


def kin_words(
    asked: str, sentences: Sequence[str], similarity: Callable[[str, Sequence[str]], Sequence[float]],
    question: str = "", min_similarity: float = MIN_SIMILARITY,
) -> frozenset[str]:
    """The kind words of the names in ``sentences`` (as written there, lower case) the model finds alike to the
    ``asked`` type; words sharing its stem are left to ``constraints.meets``'s own check.

    ``similarity(word, words)``: the cosine of ``word`` with each of ``words`` (the embedding model's).
    ``question``: a kind word it uses is left out, since the names the question gives are what it asks about, not
    its answer ("which agency audits the IFR Screening *Group*'s decisions" is not answered by that group).
    """
    given = {w.lower() for w in re.findall(r"[A-Za-z]+", question)}
    nouns = list(dict.fromkeys(n for s in sentences for n in kind_nouns(s) if n not in given))
    own = set(terms(asked))
    nouns = [n for n in nouns if not set(terms(n)) & own]
    if not nouns:
        return frozenset()
    return frozenset(n for n, sim in zip(nouns, similarity(asked, nouns)) if sim >= min_similarity)
