"""A medicine's generic name in a question is a name the answer must be about, though written in lower case (pure).

Names are found by their capitals (``constraints.question_constraints``), but guidance and the people
asking write generic medicine names in lower case ("the dose of dapagliflozin", "is ertugliflozin
recommended"). Unrecognised, the name asked about was no constraint at all, and "What is the list price
of dapagliflozin?" was answered with another medicine's price from another document. Generic names are
built on the WHO's INN stems, so a word ending in one of those stems is taken for a medicine's name
(only long words: "april" is no ACE inhibitor).

Example::

    >>> is_medicine("ertugliflozin"), is_medicine("semaglutide"), is_medicine("accept")
    (True, True, False)
"""

from __future__ import annotations

import re

# INN stems (WHO "The use of stems in the selection of INNs") that end a generic name and no common English word.
STEMS = (
    "flozin", "gliptin", "glutide", "zepatide", "glinide", "glitazone", "formin", "mab", "nib", "parib", "ciclib",
    "pril", "sartan", "olol", "alol", "dipine", "statin", "prazole", "conazole", "tidine", "cillin", "cycline",
    "mycin", "oxacin", "vir", "virine", "parin", "xaban", "gatran", "lukast", "dronate", "thiazide", "semide",
    "oxetine", "triptan", "setron", "profen", "tropium", "aterol", "eterol", "oterol", "olone", "sonide", "limus", "platin", "rubicin",
    "taxel", "zepam", "zolam", "caine", "kinra", "imod", "tinib", "zumab", "ximab", "umab", "afil", "lutamide",
)
_MEDICINE = re.compile(r"^[a-z][a-z-]{2,}(?:" + "|".join(sorted(STEMS, key=len, reverse=True)) + r")$", re.I)
_MIN_LENGTH = 7


def is_medicine(word: str) -> bool:
    """Whether ``word`` is shaped like a medicine's generic name (ends in an INN stem, at least 7 letters) (pure)."""
    return len(word) >= _MIN_LENGTH and bool(_MEDICINE.match(word))
