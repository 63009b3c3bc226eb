"""What kind of thing a question asks for, and the patterns of a sentence that holds one (pure, no model).

"How much funding ...?" asks for a sum of money, "how long ...?" a length of time, "how many / what
percentage ...?" a figure, "at what age" an age, "when ...?" a date, "what is the reference ...?" a code, "who ...?" a name.
``constraints.typed_matches`` finds the spans of a sentence that hold the kind asked for; ``roles.in_role``
then keeps those in the role asked.

Example::

    >>> answer_kind("How long does the panel have to decide?")
    'duration'
    >>> answer_kind("What does the plan say about digital?") is None
    True
"""

from __future__ import annotations

import re

from assistant.answering.ages import ASKS_AGE, HOLDS_AGE
from assistant.answering.asking_who import ASKS_WHO_PATTERN, ROLE_PATTERN
from assistant.answering.doses import ASKS_DOSE, HOLDS_DOSE
from assistant.answering.post_holders import NAME_OF
from assistant.answering.recipients import NOT_RECIPIENTS

# "What is the (maximum) number of <terms> ...": asks for a count, as "how many" does (not "the number of the ...": a label)
NUMBER_OF = (r"\bwhat (?:is|was|are|were) the (?:(?:maximum|minimum|max|min|total|overall|largest|smallest|greatest|"
             r"average|expected|required|target|usual|typical) )?number of\b(?! the\b)")

# Expected-answer types (asks, holds): the question's wording -> what an answering sentence must contain.
ANSWER_TYPES: tuple[tuple[re.Pattern[str], re.Pattern[str]], ...] = (
    # a sum of money: "how much capital / funding ...", "what is the cost of ...", "above what cost ..."
    (re.compile(r"\bhow much (?:[\w-]+ ){0,2}?(?:capital|funding|money|investment|cash)\b"
                r"|\bhow much (?:is|are|was|were|does|do|did|will)\b.*\b(?:cost|costs|pay|paid|spend|spent|charged?)\b"
                r"|\bwhat (?:is|was|are|were) the (?:[\w-]+ ){0,2}?(?:cost|price|salary|budget|fee|remuneration|allowance)s?\b"
                # "What salary does the Chair receive?", "What does a pack of needles cost?"
                r"|\bwhat (?:[\w-]+ ){0,2}?(?:salary|salaries|fees?|remuneration|allowances?)\s+(?:is|are|was|were|does|do|did|will|would|can)\b"
                r"|^\W*what (?:does|do|did|will|would) (?:[\w'’-]+ ){1,6}?cost\s*\??\s*$"
                r"|\b(?:above|below|over|under|beyond) what (?:[\w-]+ ){0,2}?(?:cost|price)\b", re.I),
     re.compile(r"[£$€]\s?\d+(?:[.,]\d+)*(?:\s?(?:million|billion|bn|m|k)\b)?|\b\d+(?:[.,]\d+)*\s?(?:million|billion|bn)\b"
                r"|\b\d+p\b|\b(?:pounds?|pence)\b"
                r"|\b\d+(?:\.\d+)?\s?(?:%|per ?cent\b)", re.I)),  # a cost may be put as a share: "costs rose 3.9%"
    # a length of time: "how long ...", "what is the maximum turnaround time / deadline / notice period ..."
    (re.compile(r"\bhow (?:long|soon|quickly)\b|\bwithin what (?:[\w-]+ )?(?:time|period|timescale|timeframe)\b|\bwhat (?:is|was|are|were) the (?:[\w-]+ ){0,3}?(?:time|period|deadline|timescale|timeframe|turnaround|duration)\b"
                r"(?! (?:of|in) (?:the )?(?:year|day)\b)", re.I),
     re.compile(r"\b(?:\d+(?:\.\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|sixty|ninety)"
                r"[\s-]*(?:(?:further|more|additional|consecutive|full|working|calendar|clear|business)\s+){0,2}(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|fortnights?)\b"
                r"|\b(?:a|one) (?:day|week|month|year|fortnight)\b|\bimmediately\b|\bsame[ -]day\b|\b(?:daily|weekly|monthly|quarterly|annually)\b"
                r"|\b(?:until|to|through|by) (?:the )?(?:end of )?(?:(?:January|February|March|April|May|June|July|August|September|October|November|December) )?(?:19|20)\d{2}\b"
                r"|\b\d+(?:\.\d+)?\s?(?:mm|cm|metres?|meters?|inches)\b", re.I)),  # "how long are the needles": a length
    (ASKS_AGE, HOLDS_AGE),  # "at what age", "how old": an age ("aged 0 to 25", "under 16-year-olds"), before "above what age"
    # a figure: "how many ...", "what is the (2026/27) target / rate / share ..." (a financial year may come before the measure)
    (re.compile(r"\bhow (?:much|many|long|often)\b|\bwhat (?:(?:is|are|was|were) (?:the )?)?(?:(?!(?:is|are|was|were|does|do|did|will|would|should|can|could|the|a|an)\b)[\w/-]+ ){0,4}"
                r"(?:percentage|proportion|share|figure|amount|target|rate|growth|score|ratio|average|total)\b"
                # "What is the national ambition for ...": a target's figure, as "what is the target"
                r"|\bwhat (?:is|are|was|were) (?:the |our )?(?:[\w/-]+ ){0,2}?ambitions? (?:for|on)\b"
                # "What is the population / cost of ...", "above what cost ...": a figure too
                r"|\bwhat (?:is|was|are|were) the (?:[\w-]+ ){0,2}?(?:population|size|cost|price|salary|budget)\b"
                # "What is the maximum number of terms ...": a count ("two terms"), not a reference number
                r"|" + NUMBER_OF +
                r"|\b(?:above|below|over|under|beyond) what (?:[\w-]+ ){0,2}?(?:cost|price|amount|value|level|threshold|number|age|size)\b", re.I),
    # a figure, but not a bare year: "how many" is rarely answered by "2025"
     re.compile(r"£|%|(?<![/\d-])\b(?!(?:19|20)\d{2}\b)\d[\d,.]*\b|\bone\b(?! of\b)|\b(?:two|three|four|five|six|seven|eight|nine|ten|half|double|quarterly|annual)\b", re.I)),
    # "when" that asks ("When is ...", "and by when?"), not one that sets the scene ("What job did she hold when she was picked?")
    (re.compile(r"^\W*when\b|\bwhen\b(?=\s+(?:is|are|was|were|will|would|does|do|did|should|must|can|could|has|have|had|may|might|shall)\b"
                r"|\s*[?,;]|\s*$)|\b(?:what|which) (?:financial )?(?:date|year|month)\b(?!-)|\bby what\b", re.I),
     re.compile(r"\b(?:19|20)\d{2}\b|\b(?:January|February|March|April|May|June|July|August|September|October|November|December)\b"
                # a time said in words: "before the year's out", "next year", "in the autumn", "within 20 working days"
                r"|(?i:\byear['’]s (?:out|end)\b|\b(?:next|this|last|coming|following|later this) (?:year|month|week|spring|summer|autumn|winter)\b"
                r"|\bend of (?:the|this|next) (?:year|month|quarter)\b|\b(?:in|by|until|from|before|after|over) (?:the )?(?:spring|summer|autumn|winter|Christmas)\b|\bQ[1-4]\b"
                r"|\bwithin \w+ (?:working |calendar )?(?:days?|weeks?|months?|years?)\b|\b(?:annually|quarterly|monthly|weekly)\b)")),
    (re.compile(r"\bwhat is the (?:\w+ )?(?:reference|code|number(?! of\s+(?!the\b))|id)\b", re.I),  # "number of X": a count
     re.compile(r"\b[A-Z]{2,}\d{3,}\b")),
    (re.compile(r"\b(?:which|what) (?:tele)?phone number\b", re.I),  # "0300 311 22 33", "+44 20 7946 0000"
     re.compile(r"(?<![\d.])(?:\+\d{1,3}\s?)?\(?0?\d{2,5}\)?(?:[\s-]?\d{2,4}){2,4}(?![\d.])")),
    (re.compile(r"\b(?:which|what) (?:[\w-]+ )?version\b", re.I),  # "version 1.7", "V2", "v3.0"
     re.compile(r"\bversion:?\s*[Vv]?\d+(?:\.\d+)*[a-z]?\b|\b[Vv]\d+(?:\.\d+)*\b|(?<![\d.])\d+\.\d+(?![\d.])", re.I)),
    (re.compile(ASKS_WHO_PATTERN + NOT_RECIPIENTS + "|" + NAME_OF.pattern, re.I),  # "Who should be offered X?" asks for people, not a name; "a patient who" asks nothing
     re.compile(r"\b[A-Z][a-z]+(?:\s+(?:[A-Z]\.\s*)?[A-Z][a-z]+)+\b|" + ROLE_PATTERN)),  # a name, or a role ("the governance lead")
    (ASKS_DOSE, HOLDS_DOSE),  # "What dose of X ...?": an amount of a medicine ("10 mg once daily")
)


# A word before a number that labels it ("Appendix 8", "Category 2"): the number counts nothing.
LABEL_BEFORE = re.compile(
    r"\b(?:appendix|annex|section|table|figure|question|version|category|segment|phase|page|paragraph|item|step|chapter"
    r"|part|schedule|level|tier|stage|band|priority|recommendation|footnote)\s+$", re.I)


KINDS = ("money", "duration", "age", "figure", "date", "code", "phone", "version", "name", "dose")  # what each of ``ANSWER_TYPES`` asks for, in order


def answer_kind(question: str) -> str | None:
    """What kind of thing the question asks for: "money", "duration", "age", "figure", "date", "code", "phone", "version", "name", "dose",
    or None (pure)."""
    return next((kind for kind, (asks, _) in zip(KINDS, ANSWER_TYPES) if asks.search(question)), None)
