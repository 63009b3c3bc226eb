"""Document facts: publication date, version, publication reference, the period covered, what it replaces.

The manifest says them when it can (columns ``date``, ``version``, ``reference``, ``period``,
``supersedes``); where it is silent they are read from the document itself, as NHS documents print
them: cover lines ("Version 3, 8 February 2023", "Publication reference: PR2086", "Date published:
29 January, 2025"), ratification tables ("Version number: 2"), the title ("2025/26 priorities and
operational planning guidance"), PDF metadata (creation date) and the file name ("…-v3.pdf"), and
sentences such as "This policy supersedes …". All functions here are pure.

Example::

    >>> find_version("Publication reference: PR2086\\n\\nVersion 3, 8 February 2023")
    '3'
    >>> document_facts("Publication reference: PR2086\\nVersion 3, 8 February 2023", title="IFR policy")
    DocumentFacts(date='2023-02-08', version='3', reference='PR2086', period='', supersedes=(), superseded_by=())
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from assistant.text.dates import normalise_date
from assistant.text.periods import find_periods

COVER_CHARS = 3000
"""How far into a document its cover and front matter reach (unlabelled version lines, periods)."""
_MAX_REFERENCE = 60
_MAX_NAMED = 160
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_DATE = rf"(?:\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTHS}),?\s+\d{{4}}|(?:{_MONTHS})\s+\d{{4}}|\d{{1,2}}[./]\d{{1,2}}[./]\d{{4}}|\d{{4}}-\d{{2}}(?:-\d{{2}})?)"


@dataclass(frozen=True)
class DocumentFacts:
    """What a document says about itself; ``""`` / ``()`` when unknown."""

    date: str = ""
    """Publication date, ISO (``2023-02-08``, ``2023-02`` or ``2023``)."""
    version: str = ""
    reference: str = ""
    """Publication reference, e.g. ``PR2086``, ``PRN01625``."""
    period: str = ""
    """The period it covers: ``2025/26`` or ``2026/27 to 2028/29``."""
    supersedes: tuple[str, ...] = ()
    """What it replaces: file names (manifest), references or titles (its own words)."""
    superseded_by: tuple[str, ...] = ()
    """What replaces it, when the document says so ("This guidance has been superseded by …")."""

    def to_metadata(self) -> dict[str, Any]:
        """As flat document metadata (lists joined with ``; ``, as Chroma stores only scalars)."""
        return {
            "date": self.date, "version": self.version, "reference": self.reference, "period": self.period,
            "supersedes": "; ".join(self.supersedes), "superseded_by": "; ".join(self.superseded_by),
        }


# -- version ------------------------------------------------------------------------------------
_VERSION_NUMBER = r"v?(\d{1,3}(?:\.\d{1,3}){0,2})"
# A labelled field anywhere: "Version number: 2", "Version: 1.4", "Version no. 3", "Document version 5"
_VERSION_FIELD = re.compile(rf"^[ \t*|]*(?:document\s+)?version\s*(?:number|no\.?|#)?\s*(?:[:|]\s*){{1,2}}\**\s*{_VERSION_NUMBER}\b", re.I | re.M)
# A cover line: "Version 3, 8 February 2023", "Version 1", "Version 1.6 – Schedule of Changes"
_VERSION_LINE = re.compile(rf"^[ \t*#]*version\s+{_VERSION_NUMBER}\**(?=\s*(?:$|[,;–—(-]|\s+(?:{_MONTHS})|\s+\d))", re.I | re.M)
# In a file name: "policy-v3.pdf", "constitution-V1.6---Approved", "framework_v1", "plan version 2"
_VERSION_NAME = re.compile(r"(?:^|[-_ .(])v(?:ersion)?[-_ ]?(\d{1,3}(?:[._]\d{1,3})?)(?=$|[-_ .)])", re.I)


def unlabelled_rows(text: str) -> str:
    """Table rows as plain cells (pure): loaders write a row as "Header: cell | Header: cell" under its
    header row ("Header | Header"); the field patterns read "Version number: | 2" like "Version number: 2"."""
    header: list[str] = []
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if " | " not in line:
            continue
        cells = line.split(" | ")
        if not any(": " in c or c.endswith(":") for c in cells):
            header = cells
            continue
        lines[i] = " | ".join(
            c[len(h) + 2:] if h and c.startswith(h + ": ") else c for c, h in zip(cells, header + [""] * len(cells))
        )
    return "\n".join(lines)


def find_version(text: str) -> str:
    """The document's version: a labelled field anywhere, else a "Version N" line in its front matter."""
    text = unlabelled_rows(text)
    m = _VERSION_FIELD.search(text) or _VERSION_LINE.search(text[:COVER_CHARS])
    return m.group(1) if m else ""


def version_from_name(file_name: str) -> str:
    """``Commissioning-policy-v3.pdf`` -> ``3``; ``…-V1.6---Approved….docx`` -> ``1.6`` (the stem only)."""
    stem = file_name.rsplit(".", 1)[0] if re.search(r"\.[A-Za-z]{2,5}$", file_name) else file_name
    m = _VERSION_NAME.search(stem)
    return m.group(1).replace("_", ".") if m else ""


# -- publication reference -------------------------------------------------------------------------
_REFERENCE_FIELD = re.compile(r"^[ \t*|]*(?:publication|publications|gateway)\s+(?:reference|ref\.?|number)\s*(?:number|no\.?)?\s*(?:[:|]\s*){1,2}(.+)$", re.I | re.M)
_REFERENCE_CODE = re.compile(r"\b([A-Z]{2,5}\d{3,6}(?:_[A-Za-z0-9]+)?|[A-Z]{2}/\d{2}/\d{1,3}(?:\([A-Za-z]+\))?)")
_MD_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


def find_reference(text: str) -> str:
    """"Publication reference: PRN01625" -> ``PRN01625``: the code when the field holds one, else the field."""
    m = _REFERENCE_FIELD.search(unlabelled_rows(text))
    if not m:
        return ""
    value = _MD_ESCAPE.sub(r"\1", m.group(1)).replace("*", "").strip(" .;|")
    code = _REFERENCE_CODE.search(value)
    return code.group(1) if code else " ".join(value.split())[:_MAX_REFERENCE]


# -- publication date --------------------------------------------------------------------------------
_DATE_FIELDS = (
    re.compile(rf"^[ \t*|]*(?:date\s+)?(?:first\s+)?published(?:\s+on)?\s*(?:[:|]\s*){{0,2}}({_DATE})", re.I | re.M),
    re.compile(rf"^[ \t*|]*publication\s+date\s*(?:[:|]\s*){{0,2}}({_DATE})", re.I | re.M),
    re.compile(rf"^[ \t*#]*version\s+{_VERSION_NUMBER}\**\s*[,–—-]\s*({_DATE})", re.I | re.M),
    re.compile(rf"^[ \t*|]*date\s+(?:ratified|approved|of\s+issue|issued)\s*(?:[:|]\s*){{0,2}}({_DATE})", re.I | re.M),
    re.compile(rf"^[ \t*|]*date\s+last\s+updated\s*(?:[:|]\s*){{0,2}}({_DATE})", re.I | re.M),
    # a cover page whose lines were read as one ("NICE guideline Published: 12 March 2025 www.nice.org.uk/..."):
    # the label keeps its colon, which running prose ("the report was published on 3 May") does not have
    re.compile(rf"(?:^|\s)(?:date\s+)?published:\s*({_DATE})", re.I | re.M),
)


def find_date(text: str) -> str:
    """The publication date the document prints (published, version line, ratified, last updated), ISO."""
    text = unlabelled_rows(text)
    for pattern in _DATE_FIELDS:
        m = pattern.search(text)
        if m:
            value = normalise_date(m.group(m.lastindex or 1).replace(",", ""))
            if re.match(r"^\d{4}", value):
                return value
    return ""


# -- period covered --------------------------------------------------------------------------------
# A front-matter line that is only a period ("2026/27 to 2028/29", "**2025/26**", "for 2025/26").
_PERIOD_LINE = re.compile(r"^[ \t*#]*(?:for|covering)?\s*(20\d{2}\s*[/–—-]\s*\d{2,4}(?:\s*(?:to|[–—-])\s*20\d{2}\s*[/–—-]\s*\d{2,4})?)[ \t*]*$", re.I | re.M)


def find_period(title: str, text: str = "") -> str:
    """The period a document covers: from its title, else a front-matter line that is only a period.

    Periods named in the body ("plans for the five-year period from 2026/27 to 2030/31") are what the
    document talks about, not what it covers, so only the title and such stand-alone lines count.
    """
    found = find_periods(title)
    if not found:
        m = _PERIOD_LINE.search(text[:COVER_CHARS])
        found = find_periods(m.group(1)) if m else []
    return str(found[0]) if found else ""


# -- what it replaces ------------------------------------------------------------------------------
_SUBJECT = r"(?:this|the|these|it|which)\s*(?:\w+\s+){0,3}?"
_SUPERSEDES = re.compile(
    rf"\b{_SUBJECT}(?:supersedes|replaces|will\s+(?:supersede|replace)|has\s+(?:superseded|replaced))\s+(?P<what>[^.;\n]{{3,{_MAX_NAMED}}})",
    re.I,
)
_SUPERSEDED_BY = re.compile(
    rf"\b{_SUBJECT}(?:has\s+been|have\s+been|is|are|was|were)\s+(?:now\s+)?(?:superseded|replaced)\s+by\s+(?P<what>[^.;\n]{{3,{_MAX_NAMED}}})",
    re.I,
)
_LEADING_ARTICLE = re.compile(r"^(?:the|an?|all)\s+", re.I)


def _named(what: str) -> str:
    what = _MD_ESCAPE.sub(r"\1", what).replace("*", "")
    what = re.split(r"\s+(?:with effect|from|as of|with immediate effect|and should|which)\b", what, maxsplit=1, flags=re.I)[0]
    return _LEADING_ARTICLE.sub("", " ".join(what.split())).strip(" ,:-–—\"'“”‘’")


def find_supersedes(text: str) -> tuple[str, ...]:
    """What the document says it replaces ("This policy supersedes the Interim Policy (2019)")."""
    return tuple(dict.fromkeys(n for n in (_named(m.group("what")) for m in _SUPERSEDES.finditer(text)) if n))


def find_superseded_by(text: str) -> tuple[str, ...]:
    """What the document says replaces it ("This guidance has been superseded by …")."""
    return tuple(dict.fromkeys(n for n in (_named(m.group("what")) for m in _SUPERSEDED_BY.finditer(text)) if n))


def split_names(cell: str | None) -> tuple[str, ...]:
    """A manifest ``supersedes`` cell: several file names separated by ``;`` or ``|``."""
    return tuple(n for n in (part.strip() for part in re.split(r"[;|]", cell or "")) if n)


# -- all together ----------------------------------------------------------------------------------
def _period(written: str) -> str:
    found = find_periods(written)
    return str(found[0]) if found else written
def document_facts(
    text: str,
    *,
    title: str = "",
    file_name: str = "",
    manifest: Any = None,
    info_date: str = "",
) -> DocumentFacts:
    """The facts of one document: the manifest's entry first, then the document's own words.

    Args:
        text: the loaded document text.
        title: its title (manifest or parsed); a period in it is the period covered.
        file_name: for a version written in the name ("…-v3.pdf").
        manifest: its ``ManifestEntry`` (any object with ``date``/``version``/``reference``/``period``/
            ``supersedes`` attributes), or None.
        info_date: the date the format's metadata gives (PDF creation date), the last resort.
    """

    def given(name: str) -> str:
        return str(getattr(manifest, name, None) or "").strip()

    return DocumentFacts(
        date=normalise_date(given("date")) or find_date(text) or normalise_date(info_date),
        version=given("version") or find_version(text) or version_from_name(file_name),
        reference=given("reference") or find_reference(text),
        period=_period(given("period")) or find_period(title, text),
        supersedes=split_names(given("supersedes")) or find_supersedes(text),
        superseded_by=find_superseded_by(text),
    )
