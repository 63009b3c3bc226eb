"""A "who" that asks, not a relative "who" ("a patient *who* gets pain"), and the roles that answer one (pure).

"Who chairs the panel?" asks for a name, and is answered only by a sentence holding one
(``answer_kinds``). In "What should I tell a patient who occasionally gets a sharp pain?" the "who"
opens a relative clause: the question asks "what", and typing it as a name question refused every
answer. A "who" asks when it opens its clause: at the start of the question or of a sentence or clause
(after punctuation, "and", "or", "but"), or after a verb that reports a question ("say who", "tell me
who", "decide who"); and not when the clause was opened by another asking word or an inverted
auxiliary ("What should I tell a patient who ...", "Can a patient who has a PHB ...").

A "who" is answered by a person's name, a capitalised post or body ("the Specialised Commissioning Medical
Director") or, as often in procedures, a role or body in lower case: "provided by the employee's
*organisation*", "the governance *lead*, or their nominee, will ...", "submitted by the requesting *clinician*",
"appointed by the *Chair*", "must come from a healthcare *professional*" (``ROLE``): the one who acts, opening the sentence or after "by" or "from".

Example::

    >>> bool(ASKS_WHO.search("What should I tell a patient who gets pain?"))
    False
    >>> bool(ASKS_WHO.search("Under the constitution who appoints the Chief Executive?"))
    True
"""

from __future__ import annotations

import re

_OPENS = (r"(?:^|[.?!;:,(]|\b(?:and|or|but|say|says|said|state|states|stated|know|tell\s+(?:me|us)|specif(?:y|ies)|shows?"
          r"|explains?|decides?|determines?|confirms?|clarif(?:y|ies))\b)")
_OTHER_ASKING = (r"(?:what|which|how|when|where|why|whose|can|could|does|do|did|is|are|was|were|should|must|may|might|will"
                 r"|would|has|have|had|shall)\b")
# The pattern of a "who" that asks (``answer_kinds`` appends what may follow it).
ASKS_WHO = re.compile(rf"{_OPENS}\s*(?!{_OTHER_ASKING})[^.?!;:,]*?\bwho\b", re.I)
ASKS_WHO_PATTERN = ASKS_WHO.pattern

# A role or body in lower case, as the one who acts: opening the sentence or after "by" ("provided by the employee's
# organisation") or "from" ("a request must come from a healthcare professional": who may make it); a determiner, one to three words, and a word naming who does things ("the team" alone says little). ("... will write to the requesting
# clinician": the one written to answers no "who".)
ROLE_PATTERN = (r"(?:(?<=\bby\s)|(?<=\bfrom\s)|(?<=[\d.)]\s)|(?<![\w,'’-]\s)(?<![\w'’-]))\b(?i:the|a|an|their|its|each|every|any|his|her|your|our)\s+(?:[\w'’-]+\s+){1,3}?"
                r"(?:clinicians?|consultants?|pharmacists?|doctors?|nurses?|GPs?|practitioners?|professionals?|leads?"
                r"|managers?|officers?|directors?|secretar(?:y|ies)|chairs?|members?|teams?|panels?|groups?|committees?"
                r"|boards?|organisations?|organizations?|employers?|providers?|commissioners?|trusts?|councils?"
                r"|authorit(?:y|ies)|carers?|representatives?|staff|governors?|auditors?|requesters?|applicants?)\b"
                # "appointed by the Chair of the ICB": the agent of a passive, a post in one capitalised word
                r"|(?<=\bby\s)(?:the|an?)\s+[A-Z][\w&’'-]*")
ROLE = re.compile(ROLE_PATTERN)
