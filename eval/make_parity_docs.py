"""Publish dev documents we hold as text the way NHS England publishes them, as PDF and DOCX, to measure
what the PDF and DOCX loaders lose against the text loader on the same questions (issue 14, PDF parity).

    python eval/make_parity_docs.py OUT_DIR [CORPUS_DIR]   # CORPUS_DIR: ../shared/corpus-nhs by default

For each document in ``DOCUMENTS`` it writes ``OUT_DIR/pdf/<stem>.pdf`` (HTML with A4 print CSS, printed by
Debian's chromium headless) and ``OUT_DIR/docx/<stem>.docx`` (python-docx, Word's own header/footer and
PAGE/NUMPAGES fields), and ``OUT_DIR/<stem>.html``. The text is the Markdown's own words, unchanged (its
conversion damage such as "wil" included), so the dev questions' evidence quotes still match; only the
layout changes: a running header with the title and a footer "Publication reference ... Page N of M" on
every page, a contents page, numbered paragraphs, bullet lists after a lead-in ending in ':', tables with
a header row, and per document one layout variant (a two-column section; long tables).
Nothing generated is committed: this takes ~10 s.
"""

from __future__ import annotations

import html
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus-nhs"


@dataclass(frozen=True)
class Table:
    """Where a table is in the Markdown (its first and last line, as written) and how to read its lines."""

    first: str
    last: str
    header: tuple[str, ...]  # the header row's cells (the Markdown's header lines, rejoined)
    skip: int  # lines at the start that the header replaces
    columns: int = 2  # body lines are read ``columns`` at a time; 0: one line a row, split before trailing numbers


@dataclass(frozen=True)
class Layout:
    running: str  # running header text
    reference: str  # publication reference printed in the footer
    two_columns_from: str | None = None  # heading from which the body is set in two columns
    tables: tuple[Table, ...] = ()
    landscape_tables: bool = False


DOCUMENTS: dict[str, Layout] = {
    "nhse_productivity_update.md": Layout(
        running="NHS England Board meeting in public, 5 December 2024: NHS productivity",
        reference="PRN01702",
        tables=(
            Table("**Activity growth**", "6.2%", ("Activity category", "Activity growth H1 2024/25 compared to H1 2023/24"), 3),
            Table("**Contract type**", "**4.0%**", ("Contract type", "Workforce FTE growth 2024/25 compared to 2023/24"), 2),
        ),
    ),
    "nhse_oversight_framework_2025_26_methodology_manual.md": Layout(
        running="NHS Oversight Framework 2025/26 \u2013 methodology manual",
        reference="PRN01868",
        two_columns_from="**Step 1: individual metric scoring**",
        tables=(Table("Metric Value Score", "CQC safety rating Good 2.00", ("Metric", "Value", "Score"), 1, 0),),
    ),
    "nhse_neighbourhood_health_guidelines_2025_26.md": Layout(
        running="Neighbourhood health guidelines 2025/26",
        reference="PRN01749",
    ),
}


@dataclass
class Block:
    kind: str  # title, h2, h3, p, num, li, caption, table, toc, meta, columns_start
    text: str = ""
    number: str = ""
    rows: list[list[str]] = field(default_factory=list)


_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_BOLD_LINE = re.compile(r"^\*\*(?P<t>[^*].*?)\s*\*\*\s*$")
_NUMBERED = re.compile(r"^(?P<n>\d{1,3})\.\s+(?P<t>\S.*)$")
_TRAILING_NUMBERS = re.compile(r"^(?P<label>.+?)\s+(?P<a>\S+)\s+(?P<b>-?[\d.]+)$")


def _clean(line: str) -> str:
    return _ESCAPE.sub(r"\1", line).strip()


def _inline(text: str) -> str:
    """Markdown bold to <b>, the rest escaped."""
    parts = re.split(r"\*\*", text)
    out = []
    for i, part in enumerate(parts):
        esc = html.escape(part, quote=False)
        out.append(f"<b>{esc}</b>" if i % 2 and part.strip() else esc)
    return "".join(out)


def _plain(text: str) -> str:
    return text.replace("**", "")


def _table_rows(lines: list[str], table: Table) -> list[list[str]]:
    body = [_plain(x) for x in lines[table.skip:]]
    if table.columns == 0:
        rows = []
        for line in body:
            m = _TRAILING_NUMBERS.match(line)
            rows.append([m["label"], m["a"], m["b"]] if m else [line, "", ""])
        return rows
    return [body[i:i + table.columns] for i in range(0, len(body), table.columns)]


def blocks_of(markdown: str, layout: Layout) -> list[Block]:
    """The Markdown's lines as typed blocks (pure)."""
    lines = [ln for ln in (_clean(x) for x in markdown.splitlines()) if ln and ln.strip("* ")]
    blocks: list[Block] = []
    i = 0
    in_contents = False
    in_list = False
    titled = False
    while i < len(lines):
        line = lines[i]
        table = next((t for t in layout.tables if line == t.first), None)
        if table is not None:
            j = i
            while j < len(lines) and lines[j] != table.last:
                j += 1
            rows = _table_rows(lines[i:j + 1], table)
            blocks.append(Block("table", rows=[list(table.header), *rows]))
            i = j + 1
            in_list = False
            continue
        if layout.two_columns_from and line == layout.two_columns_from:
            blocks.append(Block("columns_start"))
        bold = _BOLD_LINE.match(line)
        if bold and len(bold["t"]) <= 120 and "**" not in bold["t"]:
            text = bold["t"].strip()
            in_list = False
            if not titled:
                blocks.append(Block("title", text))
                titled = True
            elif text.lower() in {"content", "contents"}:
                blocks.append(Block("toc", "Contents", rows=[]))
                in_contents = True
            elif re.match(r"(Table|Figure|Diagram)\b", text):
                blocks.append(Block("caption", text))
            elif re.match(r"[A-F]\. |Step \d|Example \d", text) or (blocks and blocks[-1].kind in {"h2"}):
                blocks.append(Block("h3", text))
                in_contents = False
            else:
                blocks.append(Block("h2", text))
                in_contents = False
            i += 1
            continue
        if in_contents and len(line) < 90 and not line.endswith("."):
            blocks[-1 if blocks[-1].kind == "toc" else len(blocks) - 1].rows.append([_plain(line)])
            i += 1
            continue
        in_contents = False
        if line.startswith(("Date published", "Date last updated", "Publication (/publication)")):
            if not line.startswith("Publication ("):
                blocks.append(Block("meta", line))
            i += 1
            continue
        numbered = _NUMBERED.match(line)
        if numbered:
            blocks.append(Block("num", numbered["t"], number=numbered["n"] + "."))
            in_list = line.rstrip().endswith(":")
        elif line.startswith(("\u2022 ", "- ")):
            blocks.append(Block("li", line[2:]))
        elif in_list and len(line) < 400 and not line.startswith(("Image te", "(http")):
            blocks.append(Block("li", line))
            in_list = not line.rstrip().endswith(".") or len(line) < 120
        else:
            blocks.append(Block("p", line))
            in_list = line.rstrip().endswith(":")
        i += 1
    return blocks


CSS = """
@page { size: A4; margin: 24mm 18mm 22mm 18mm;
  @top-left { content: "%(running)s"; font: 8pt Arial, sans-serif; color: #005eb8; }
  @bottom-left { content: "Publication reference: %(reference)s"; font: 8pt Arial, sans-serif; color: #333; }
  @bottom-right { content: "Page " counter(page) " of " counter(pages); font: 8pt Arial, sans-serif; color: #333; } }
@page :first { @top-left { content: none; } }
body { font: 11pt/1.4 Arial, "Liberation Sans", sans-serif; color: #212b32; }
h1 { font-size: 24pt; color: #005eb8; margin: 40mm 0 8pt; } .meta { font-size: 10pt; margin: 2pt 0; }
h2 { font-size: 15pt; color: #005eb8; margin: 16pt 0 6pt; } h3 { font-size: 12pt; margin: 12pt 0 4pt; }
.cover { page-break-after: always; } .contents { page-break-after: always; }
.toc { list-style: none; padding: 0; } .toc li { display: flex; margin: 0 0 5pt; }
.toc li span.dots { flex: 1; border-bottom: 1px dotted #555; margin: 0 4px 4px; }
.num { display: flex; margin: 0 0 7pt; } .num .n { width: 26pt; flex: none; }
ul { margin: 0 0 7pt 0; padding-left: 18pt; } li { margin: 0 0 3pt; }
p { margin: 0 0 7pt; } .caption { font-weight: bold; margin: 10pt 0 4pt; }
table { border-collapse: collapse; width: 100%%; font-size: 10pt; margin: 4pt 0 10pt; }
thead { display: table-header-group; } tr { page-break-inside: avoid; }
th, td { border: 1px solid #768692; padding: 3pt 5pt; vertical-align: top; text-align: left; }
th { background: #005eb8; color: #fff; }
.twocol { column-count: 2; column-gap: 9mm; } .twocol h2, .twocol h3 { break-after: avoid; }
"""


def to_html(blocks: list[Block], layout: Layout, title: str) -> str:
    """One HTML page, print CSS with the running header/footer as @page margin boxes (pure)."""
    out: list[str] = []
    cover: list[str] = []
    body_started = False
    open_list = False
    columns_open = False

    def close_list() -> None:
        nonlocal open_list
        if open_list:
            out.append("</ul>")
            open_list = False

    for b in blocks:
        if b.kind != "li":
            close_list()
        if b.kind == "title":
            cover.append(f"<h1>{_inline(b.text)}</h1>")
        elif b.kind == "meta" and not body_started:
            cover.append(f"<p class='meta'>{_inline(b.text)}</p>")
        elif b.kind == "toc":
            body_started = True
            entries = "".join(
                f"<li><span>{html.escape(r[0])}</span><span class='dots'></span><span>{n + 2}</span></li>"
                for n, r in enumerate(b.rows)
            )
            out.append(f"<div class='contents'><h2>Contents</h2><ul class='toc'>{entries}</ul></div>")
        elif b.kind == "columns_start":
            out.append("<div class='twocol'>")
            columns_open = True
        else:
            body_started = True
            if b.kind in {"h2", "h3"}:
                out.append(f"<{b.kind}>{_inline(b.text)}</{b.kind}>")
            elif b.kind == "caption":
                out.append(f"<p class='caption'>{_inline(b.text)}</p>")
            elif b.kind == "num":
                out.append(f"<div class='num'><span class='n'>{b.number}</span><span>{_inline(b.text)}</span></div>")
            elif b.kind == "li":
                if not open_list:
                    out.append("<ul>")
                    open_list = True
                out.append(f"<li>{_inline(b.text)}</li>")
            elif b.kind == "table":
                head = "".join(f"<th>{html.escape(c)}</th>" for c in b.rows[0])
                body = "".join(
                    "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in b.rows[1:]
                )
                out.append(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
            else:
                out.append(f"<p>{_inline(b.text)}</p>")
    close_list()
    if columns_open:
        out.append("</div>")
    css = CSS % {"running": layout.running.replace('"', "'"), "reference": layout.reference}
    return (
        f"<!doctype html><html lang='en-GB'><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
        f"<style>{css}</style></head><body><div class='cover'>{''.join(cover)}</div>{''.join(out)}</body></html>"
    )


def to_docx(blocks: list[Block], layout: Layout, path: Path) -> None:
    """The same blocks as a Word document: styles Title/Heading/List Bullet, a header, a footer with fields."""
    from docx import Document
    from docx.enum.section import WD_SECTION
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.different_first_page_header_footer = True

    def field(par, code: str) -> None:
        run = par.add_run()
        for kind, text in (("begin", None), (None, code), ("separate", None), (None, "1"), ("end", None)):
            if kind:
                el = OxmlElement("w:fldChar")
                el.set(qn("w:fldCharType"), kind)
            elif text == code:
                el = OxmlElement("w:instrText")
                el.set(qn("xml:space"), "preserve")
                el.text = f" {code} "
            else:
                el = OxmlElement("w:t")
                el.text = text
            run._r.append(el)

    def furnish(sec) -> None:
        sec.header.is_linked_to_previous = False
        sec.footer.is_linked_to_previous = False
        sec.header.paragraphs[0].text = layout.running
        foot = sec.footer.paragraphs[0]
        foot.text = f"Publication reference: {layout.reference}\tPage "
        field(foot, "PAGE")
        foot.add_run(" of ")
        field(foot, "NUMPAGES")

    furnish(section)

    def add_rich(par, text: str) -> None:
        for i, part in enumerate(text.split("**")):
            if part:
                par.add_run(part).bold = bool(i % 2)

    for b in blocks:
        if b.kind == "title":
            doc.add_paragraph(_plain(b.text), style="Title")
        elif b.kind == "meta":
            doc.add_paragraph(b.text)
        elif b.kind == "toc":
            doc.add_paragraph("Contents", style="Heading 1")
            for n, row in enumerate(b.rows):
                doc.add_paragraph(f"{row[0]}\t{n + 2}", style="TOC 1" if "TOC 1" in [s.name for s in doc.styles] else None)
            doc.add_page_break()
        elif b.kind == "columns_start":
            new = doc.add_section(WD_SECTION.CONTINUOUS)
            cols = new._sectPr.xpath("./w:cols")
            el = cols[0] if cols else OxmlElement("w:cols")
            el.set(qn("w:num"), "2")
            el.set(qn("w:space"), "510")
            if not cols:
                new._sectPr.append(el)
        elif b.kind in {"h2", "h3"}:
            doc.add_paragraph(_plain(b.text), style="Heading 1" if b.kind == "h2" else "Heading 2")
        elif b.kind == "caption":
            add_rich(doc.add_paragraph(), f"**{_plain(b.text)}**")
        elif b.kind == "num":
            par = doc.add_paragraph(style="List Number")
            add_rich(par, b.text)
        elif b.kind == "li":
            add_rich(doc.add_paragraph(style="List Bullet"), b.text)
        elif b.kind == "table":
            table = doc.add_table(rows=0, cols=len(b.rows[0]))
            table.style = "Table Grid"
            for r, row in enumerate(b.rows):
                cells = table.add_row().cells
                for c, value in enumerate(row):
                    cells[c].text = value
                    if r == 0:
                        for run in cells[c].paragraphs[0].runs:
                            run.bold = True
            hdr = table.rows[0]._tr.get_or_add_trPr()
            mark = OxmlElement("w:tblHeader")
            mark.set(qn("w:val"), "true")
            hdr.append(mark)
        else:
            add_rich(doc.add_paragraph(), b.text)
    doc.styles["Normal"].font.size = Pt(11)
    doc.save(str(path))


def build(out: Path, corpus: Path = DEFAULT_CORPUS) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    (out / "pdf").mkdir(exist_ok=True)
    (out / "docx").mkdir(exist_ok=True)
    made = []
    for name, layout in DOCUMENTS.items():
        stem = Path(name).stem
        blocks = blocks_of((corpus / name).read_text(encoding="utf-8"), layout)
        title = next((b.text for b in blocks if b.kind == "title"), stem)
        page = out / f"{stem}.html"
        page.write_text(to_html(blocks, layout, _plain(title)), encoding="utf-8")
        pdf = out / "pdf" / f"{stem}.pdf"
        subprocess.run(
            [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
             f"--print-to-pdf={pdf}", page.as_uri()],
            check=True, capture_output=True, timeout=180,
        )
        docx = out / "docx" / f"{stem}.docx"
        to_docx(blocks, layout, docx)
        made += [pdf, docx]
    return made


if __name__ == "__main__":
    target = Path(sys.argv[1])
    for made in build(target, Path(sys.argv[2]) if len(sys.argv) > 2 else DEFAULT_CORPUS):
        print(made, made.stat().st_size)
