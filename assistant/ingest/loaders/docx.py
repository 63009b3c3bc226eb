"""DOCX (Word): paragraphs, headings (Heading/Title styles) as sections, tables as rows; zip bombs refused."""

from __future__ import annotations

import io
import zipfile
import zlib
from typing import Any

from assistant.ingest.loaders.base import LoadError, Parsed, human_size, normalise_newlines, one_line
from assistant.text.dates import iso_date


def parse(raw: bytes) -> Parsed:
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    _check_docx_archive(raw)
    try:
        document = docx.Document(io.BytesIO(raw))
        content = list(document.iter_inner_content())
    except zipfile.BadZipFile:
        raise LoadError("not a valid DOCX (not a zip archive)") from None
    except (PackageNotFoundError, KeyError, ValueError, AttributeError, SyntaxError, RuntimeError,
            NotImplementedError, OSError, zlib.error) as exc:  # lxml's XMLSyntaxError is a SyntaxError
        raise LoadError(f"not a valid DOCX ({one_line(exc)})") from None

    blocks: list[tuple[str, str | None]] = []  # (text, heading style name or None)
    for item in content:
        if isinstance(item, Paragraph):
            text = normalise_newlines(item.text).strip()
            if text:
                style = _style_name(item)
                is_heading = style.startswith(("Heading", "Title"))
                blocks.append((text, style if is_heading else None))
        elif isinstance(item, Table):
            blocks.extend((row, None) for row in _docx_table_rows(item))

    sections: list[tuple[int, str]] = []
    title = ""
    offset = 0
    for block_text, heading_style in blocks:
        if heading_style is not None:
            sections.append((offset, block_text.split("\n")[0]))
            if not title and heading_style in ("Title", "Heading 1"):
                title = block_text
        offset += len(block_text) + 2

    props = document.core_properties
    author = (props.author or "").strip()
    created = iso_date(props.created)
    # Files made from python-docx's blank template keep its author and creation date: not real ones.
    return Parsed(
        text="\n\n".join(block_text for block_text, _ in blocks),
        title=(props.title or "").strip() or title,
        sections=sections,
        publisher="" if author == "python-docx" else author,
        date="" if created == "2013-12-23" else created,
    )


# A DOCX is a zip: python-docx inflates every part into memory and parses the XML with lxml, so
# sizes are checked from the zip's directory first. zipfile never inflates past a member's
# declared size, so a directory that lies about sizes cannot get round the check.
_DOCX_MAX_MEMBERS = 5000
_DOCX_MAX_XML_BYTES = 64 * 1024 * 1024
_DOCX_MAX_EXPANDED_BYTES = 256 * 1024 * 1024


def _check_docx_archive(raw: bytes) -> None:
    """Refuse zip bombs and absurd archives before python-docx inflates them."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise LoadError("not a valid DOCX (not a zip archive)") from None
    if len(members) > _DOCX_MAX_MEMBERS:
        raise LoadError(f"not a valid DOCX ({len(members)} parts in the archive, limit {_DOCX_MAX_MEMBERS})")
    total = sum(m.file_size for m in members)
    xml = sum(m.file_size for m in members if m.filename.lower().endswith((".xml", ".rels")))
    if xml > _DOCX_MAX_XML_BYTES or total > _DOCX_MAX_EXPANDED_BYTES:
        raise LoadError(
            f"DOCX would expand from {human_size(len(raw))} to {human_size(total)} "
            f"(limits: {human_size(_DOCX_MAX_XML_BYTES)} of XML, {human_size(_DOCX_MAX_EXPANDED_BYTES)} in all): "
            "refusing a possible zip bomb"
        )


def _style_name(paragraph: Any) -> str:
    try:
        return str(paragraph.style.name or "") if paragraph.style is not None else ""
    except (KeyError, AttributeError):
        return ""


def _docx_table_rows(table: Any) -> list[str]:
    rows: list[str] = []
    for row in table.rows:
        cells: list[str] = []
        previous = None
        for cell in row.cells:
            if cell._tc is previous:  # merged cells repeat the same cell object
                continue
            previous = cell._tc
            text = " ".join(normalise_newlines(cell.text).split())
            if text:
                cells.append(text)
        if cells:
            rows.append(" | ".join(cells))
    return rows
