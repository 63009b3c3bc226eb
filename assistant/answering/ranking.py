"""Whether a question asks for a ranking, and whether a sentence states one (pure functions, no model).

"Which region has the *highest* agency spend?" presupposes that the documents rank regions; a sentence
about agency spend that ranks nothing ("a continued effort to minimise agency spend") cannot say which
region comes top, however close its topic. A question asks for a ranking when it picks one of many
("which", "who", "where", "what <noun>") by a superlative after "the" ("the longest waits", "the most popular needle",
"is considered the safest", and "what is the most common *cause*": its noun measures nothing); "what is the
longest wait for a decision?" asks for a value (a duration), checked by kind elsewhere. The sentence that
answers it states one: a superlative ("4mm is the safest needle"), or, when the question says "the most
<word>", "most / least" with the same word (a needle "most cost-effective to prescribe", or "the safest",
is not the "most popular"), or a rank ("ranked", "top", "1st"); a one-word superlative comes with the noun it
ranks ("the most complex needs" does not say which component is the largest).

Superlatives are a small closed class, so they are listed rather than guessed from "-est" ("interest",
"request"). Time superlatives (latest, earliest, newest) ask for a date and are checked by kind elsewhere;
"best practice" and "best interests" are set phrases, not rankings. "The most" before a determiner ("which
is the most a practice should pay") asks for an amount, not a ranking.

Example::

    >>> asked_ranking("Which region has the highest agency spend?")
    ('highest', '')
    >>> states_ranking(("highest", ""), "London has the highest agency spend of any region.")
    True
    >>> states_ranking(("highest", ""), "Systems must continue to minimise agency spend.")
    False
"""

from __future__ import annotations

import re

from assistant.text.terms import STOPWORDS, terms

SUPERLATIVES = frozenset(
    """highest lowest largest smallest biggest longest shortest greatest fewest best worst fastest slowest
    cheapest dearest safest riskiest busiest poorest richest strongest weakest oldest youngest""".split()
)
_SET_PHRASES = frozenset("practice practices interest interests".split())  # "best practice": no ranking
_MOST = frozenset(("most", "least"))
# What states a rank without a superlative: "ranked third", "the top ten", "1st choice", "more than any other".
_RANK = re.compile(r"\b(?:rank(?:s|ed|ing)?|top|1st|league tables?)\b|\bthan (?:any|all) others?\b", re.I)
_TOKEN = re.compile(r"[\w'’-]+|[^\w\s]")
# Question words that pick one thing out of many; "what is the highest ...?" asks for the highest value instead.
_PICKING = frozenset("which who whom whose where".split())
# "What region has ...?" picks one as "which" does; "what is / does ..." asks about a value or a statement.
_AUX = frozenset("is are was were will would do does did can could should shall must may might has have had".split())


# "What is the highest *target* / longest *wait* / lowest *level*?" asks for a value; "what is the most common
# *cause*", "the biggest *risk*" asks which one, as "which" does (a closed class of measure nouns; the rest pick).
_MEASURES = frozenset(terms(
    """wait waits waiting time times delay period duration length value amount number figure percentage proportion
    share rate cost price level size age dose speed score spend spending budget target threshold limit distance
    weight count total sum volume increase reduction growth fall rise saving savings standard ambition"""))
_WHAT_IS_THE = re.compile(r"\bwhat (?:is|are|was|were|will be) the ((?:[\w'’-]+ ){1,5}?)(?:of|for|in|to|by|that|which|who|among|across)\b|\bwhat (?:is|are|was|were|will be) the ((?:[\w'’-]+ ){0,4}[\w'’-]+)\s*\?", re.I)


def _picks_by_what(question: str) -> bool:
    """"What is the most common cause of ...?" picks one thing (its noun measures nothing); "what is the longest
    wait ...?" asks for a value (pure)."""
    found = _WHAT_IS_THE.search(question)
    if not found:
        return False
    words = (found.group(1) or found.group(2)).split()
    head = terms(words[-1])
    return len(words) >= 2 and bool(head) and head[-1] not in _MEASURES


def _measure_follows(tokens: list[str], at: int) -> bool:
    """Whether the word after ``tokens[at]`` ("what") is a measure noun ("what *percentage* of ...", "what *share*"):
    the question then asks for a value, and a superlative after it only describes what is measured (pure)."""
    stems = terms(tokens[at + 1]) if at + 1 < len(tokens) else []
    return bool(stems) and stems[-1] in _MEASURES


def asked_ranking(question: str) -> tuple[str, str] | None:
    """``(superlative, stem)`` of the ranking ``question`` asks for, or None; ``stem`` is the stem of the word
    after "the most / least" ("the most *popular*"), empty for a one-word superlative (pure)."""
    tokens = [t.lower() for t in _TOKEN.findall(question)]
    picks = next((i for i, t in enumerate(tokens) if t in _PICKING
                  or t == "what" and i + 1 < len(tokens) and tokens[i + 1] not in _AUX), None)
    if picks is None and _picks_by_what(question):
        picks = tokens.index("what")
    if picks is None:
        return None  # "what is the longest wait ...?" asks for the longest wait itself: a duration
    measured = tokens[picks] == "what" and _measure_follows(tokens, picks)
    for i, word in enumerate(tokens[picks + 1:], start=picks + 1):
        if tokens[i - 1] != "the":
            continue  # "at least", "most of": bounds and majorities, not rankings
        after = tokens[i + 1] if i + 1 < len(tokens) else ""
        if measured and word not in _LOWER:
            # "what percentage of people have the *most* complex needs?" asks a value of a described group, as "how many"
            # does (``described_degree``): the group's bare wording ("people with complex needs") is its high end;
            # "the *least* complex" is not
            continue
        if word in SUPERLATIVES and after not in _SET_PHRASES:
            return word, ""
        if word in _MOST and re.match(r"\w", after) and after not in STOPWORDS:
            stems = terms(after)
            if stems:
                return word, stems[-1]
    return None


def described_degree(question: str) -> tuple[str, tuple[str, ...], tuple[str, ...]] | None:
    """For a question asking a value ("what percentage / share / number of ...") of a group it describes by an upward
    superlative ("people with *the most complex needs*", "*the highest needs*"): the phrase, the stems of the words
    the superlative grades ("complex", "need"), which the sentence giving the value must use (or the sentence before it:
    "... people with complex needs. This cohort is around 7% of the population"), and the stems of which one must be
    there too for a one-word superlative ("highest", "high": ``_graded``); None otherwise (pure)."""
    tokens = [t.lower() for t in _TOKEN.findall(question)]
    if "what" not in tokens or not _measure_follows(tokens, tokens.index("what")):
        return None
    for i in range(tokens.index("what") + 2, len(tokens)):
        word = tokens[i]
        if tokens[i - 1] != "the" or word in _LOWER or not (word in SUPERLATIVES or word in _MOST):
            continue
        run = []
        for after in tokens[i + 1:]:
            if not re.match(r"\w", after) or after in STOPWORDS:
                break
            run.append(after)
        stems = tuple(dict.fromkeys(s for w in run for s in terms(w)))
        if stems:
            return " ".join(["the", word, *run]), stems, _graded(word)
    return None


# The plain adjective of a one-word superlative: "the *highest* needs" is met by "high needs", not by "needs" alone
_PLAIN = {"highest": "high", "largest": "large", "biggest": "big", "greatest": "great", "longest": "long", "best": "good",
          "worst": "bad", "fastest": "fast", "slowest": "slow", "cheapest": "cheap", "dearest": "dear", "safest": "safe",
          "riskiest": "risky", "busiest": "busy", "poorest": "poor", "richest": "rich", "strongest": "strong",
          "weakest": "weak", "oldest": "old"}


def _graded(superlative: str) -> tuple[str, ...]:
    """Stems that say the degree of a one-word superlative: itself and its plain adjective ("highest": "highest",
    "high"); () for "most", whose graded word follows it (pure)."""
    if superlative in _MOST:
        return ()
    return tuple(dict.fromkeys(s for w in (superlative, _PLAIN.get(superlative, "")) for s in terms(w)))


# Words either side of a sentence's superlative within which the noun it ranks must come ("the highest agency *spend*",
# "*spend* is highest in"): a noun phrase, plus a line of the other column that text converted from a two-column
# PDF page puts inside it ("areas with the worst additional support for children and young health *outcomes*").
_HEAD_WINDOW = 8


def ranked_head(question: str) -> str:
    """The stem of the noun a one-word superlative ranks ("the longest A&E *waits*", "the largest *component*"):
    the last content word of the run right after it; empty when there is none, or for "the most <word>" (pure)."""
    asked = asked_ranking(question)
    if asked is None or asked[1]:
        return ""
    tokens = [t.lower() for t in re.findall(r"[\w&'’-]+|[^\w\s]", question)]  # "A&E" is one word here
    start = next((i for i, t in enumerate(tokens) if t == asked[0] and i > 0 and tokens[i - 1] == "the"), len(tokens))
    run: list[str] = []
    for word in tokens[start + 1:]:
        if not re.match(r"\w", word) or word in STOPWORDS:
            break
        run.append(word)
    stems = terms(run[-1]) if run else []
    return stems[-1] if stems else ""


def states_ranking(asked: tuple[str, str], sentence: str, head: str = "") -> bool:
    """Whether ``sentence`` states the kind of ranking ``asked`` (from ``asked_ranking``) asks for (pure); with
    ``head`` (``ranked_head``), a one-word superlative must come with the noun it ranks: "the most complex needs" does
    not say which component is largest, nor "the lowest healthy life expectancy" which region has the longest waits."""
    tokens = [t.lower() for t in _TOKEN.findall(sentence)]
    _, stem = asked
    if _RANK.search(sentence):
        return True
    if not stem and head:
        ranks = [i for i, t in enumerate(tokens) if t in SUPERLATIVES or t in _MOST]
        return any(head in terms(w) for i in ranks for w in tokens[max(0, i - _HEAD_WINDOW):i + 1 + _HEAD_WINDOW])
    if not stem and any(t in SUPERLATIVES for t in tokens):
        return True
    # "the most popular" is ranked by popularity: "the safest" or "most cost-effective" rank by something else
    return any(t in _MOST and (not stem or stem in terms(tokens[i + 1])) for i, t in enumerate(tokens[:-1]))


# A superlative asked of what something *can* be ("the highest segment an organisation in deficit *can* be allocated
# to", "the longest a decision *may* take") asks for a limit, which a bound states without ranking anything:
# "cannot be allocated to a segment higher than 3", "a maximum of 30 working days", "no more than 12 members".
_UPPER = frozenset("highest largest biggest greatest longest most oldest latest".split())
_LOWER = frozenset("lowest smallest fewest shortest least youngest earliest".split())
_POSSIBLE = re.compile(r"\b(?:can|could|may|might|allowed|permitted|able)\b", re.I)
_NEGATION = re.compile(r"\b(?:no|not|cannot|never|nor)\b|n['’]t\b", re.I)
_UPPER_BOUND = re.compile(r"\b(?:maximum|max|at most|up to|cap(?:ped)?|ceiling)\b", re.I)
_LOWER_BOUND = re.compile(r"\b(?:minimum|min|at least|floor)\b", re.I)
_MORE_THAN = re.compile(r"\b(?:more|higher|greater|larger|bigger|longer|older|later|exceed(?:s|ing)?)\b(?: than)?", re.I)
_LESS_THAN = re.compile(r"\b(?:less|fewer|lower|smaller|shorter|younger|earlier)\b(?: than)?", re.I)


def asks_limit(question: str, superlative: str) -> bool:
    """Whether "the <superlative> ..." asks for a limit: a modal of possibility follows it (pure)."""
    at = re.search(rf"\bthe {re.escape(superlative)}\b", question, re.I)
    return bool(at and _POSSIBLE.search(question, at.end()))


def states_bound(superlative: str, sentence: str) -> bool:
    """Whether ``sentence`` bounds what the superlative asks the limit of: a maximum or a negated "more / higher than"
    for "the highest / longest / most ...", a minimum or a negated "less / lower than" for "the lowest / fewest ..." (pure)."""
    word = superlative.lower()
    if word not in _UPPER | _LOWER:
        return False
    bound, beyond = (_UPPER_BOUND, _MORE_THAN) if word in _UPPER else (_LOWER_BOUND, _LESS_THAN)
    if bound.search(sentence):
        return True
    return any(m.group(0).lower().endswith("than") or m.group(0).lower().startswith("exceed")
               for m in beyond.finditer(sentence) if _NEGATION.search(sentence[:m.start()]))

