"""Markdown (``.md``): rendered to the plain text a reader sees; ``#`` headings become sections."""

from __future__ import annotations

import re

from assistant.ingest.loaders.base import Parsed, clean_inline, decode_text
from assistant.ingest.loaders.dropped_ll import restore_ll, vocabulary
from assistant.ingest.loaders.pdf_columns import untangle_columns
from assistant.ingest.loaders.pdf_text import strip_furniture

_MAX_BOLD_HEADING_CHARS = 120

_MD_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_ESCAPE_BASE = 0xF0000  # Unicode private use plane: placeholders that no markdown rule touches
_MD_RESTORE = re.compile("[\U000f0000-\U000f007f]")
_MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]*)\]\((?:[^()\s]|\([^()]*\))*(?:\s+\"[^\"]*\")?\)")
_MD_REF_LINK = re.compile(r"\[([^\]]+)\]\[[^\]]*\]")
_MD_REF_DEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*\S+")
_MD_AUTOLINK = re.compile(r"<((?:https?|ftp|mailto):[^>\s]+)>")
_MD_CODE = re.compile(r"`+([^`]+?)`+")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}(?:\s+(.*?))?(?:\s+#+)?\s*$")
_MD_SETEXT = re.compile(r"^\s{0,3}(?:={2,}|-{2,})\s*$")
_MD_THEMATIC = re.compile(r"^\s{0,3}(?:(?:\*\s*){3,}|(?:-\s*){3,}|(?:_\s*){3,})$")
_MD_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_MD_QUOTE = re.compile(r"^\s{0,3}(?:>\s?)+")
_MD_BULLET = re.compile(r"^(\s*)[*+-]\s+")
_MD_ALL_BOLD = re.compile(r"^(?:\s*\*{2,}[^*]*?\*{2,}\s*)+$|^(?:\s*_{2,}[^_]*?_{2,}\s*)+$")
_MD_STRONG = re.compile(r"\*{2,}|(?<!\w)_{2,}|_{2,}(?!\w)")
_MD_EM_STAR = re.compile(r"(?<![\w*])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![\w*])")
_MD_EM_UNDERSCORE = re.compile(r"(?<![\w_])_(?=[^\s_])(.+?)(?<=[^\s_])_(?![\w_])")
_INNER_SPACES = re.compile(r"(?<=\S)[ \t]{2,}")


def _md_inline(line: str) -> str:
    """Render one markdown line's inline syntax to plain text (escapes are already placeholders)."""
    line = _MD_IMAGE.sub("", line)
    line = _MD_LINK.sub(r"\1", line)
    line = _MD_REF_LINK.sub(r"\1", line)
    line = _MD_AUTOLINK.sub(r"\1", line)
    line = _MD_CODE.sub(r"\1", line)
    line = _MD_STRONG.sub("", line)
    line = _MD_EM_STAR.sub(r"\1", line)
    line = _MD_EM_UNDERSCORE.sub(r"\1", line)
    # Removed markers leave double spaces behind ("** **"); keep indentation, squeeze the rest.
    return _INNER_SPACES.sub(" ", line).rstrip()


def _restore_escapes(text: str, keep_backslash: bool = False) -> str:
    prefix = "\\" if keep_backslash else ""
    return _MD_RESTORE.sub(lambda m: prefix + chr(ord(m.group()) - _ESCAPE_BASE), text)


def _has_word(text: str) -> bool:
    # Headings like "### 2" are page numbers from PDF conversion, not section titles.
    return any(ch.isalpha() for ch in text)



def parse(raw: bytes) -> Parsed:
    source = decode_text(raw)
    source = _MD_ESCAPE.sub(lambda m: chr(_ESCAPE_BASE + ord(m.group(1))), source)
    out: list[str] = []
    heading_lines: dict[int, bool] = {}  # output line index -> is an ATX (#) heading
    levels: dict[int, int] = {}  # output line index -> heading level (# = 1, ## = 2; all-bold lines rank below)
    in_fence = False
    previous_blank = True

    def emit(line: str) -> None:
        if line.strip():
            out.append(line)
        elif out and out[-1]:  # one blank line between blocks is enough
            out.append("")

    # Markdown converted from PDF keeps page numbers and running headers inline
    for line in untangle_columns(strip_furniture(restore_ll(source.split("\n"), vocabulary()))):
        if _MD_FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence:
            emit(_restore_escapes(line.rstrip(), keep_backslash=True))  # code is verbatim
            previous_blank = not line.strip()
            continue
        if _MD_REF_DEF.match(line):
            continue
        heading = _MD_HEADING.match(line)
        if heading:
            text = clean_inline(_restore_escapes(_md_inline(heading.group(1) or "")), 10_000)
            if text:
                emit(text)
                if _has_word(text):
                    heading_lines[len(out) - 1] = True
                    levels[len(out) - 1] = len(line.lstrip()) - len(line.lstrip().lstrip("#"))
            previous_blank = False
            continue
        if _MD_SETEXT.match(line) and not previous_blank and out and out[-1]:
            if _has_word(out[-1]):
                out[-1] = out[-1].strip()
                heading_lines.setdefault(len(out) - 1, True)
                levels.setdefault(len(out) - 1, 1 if line.strip().startswith("=") else 2)
            previous_blank = False
            continue
        if _MD_THEMATIC.match(line):
            emit("")
            previous_blank = True
            continue
        line = _MD_QUOTE.sub("", line)
        all_bold = bool(_MD_ALL_BOLD.match(line))
        line = _MD_BULLET.sub(lambda m: m.group(1) + "• ", line)
        text = _restore_escapes(_md_inline(line))
        if all_bold:
            text = clean_inline(text, 10_000)
            emit(text)
            # A long all-bold line is an emphasised sentence, not a heading.
            if text and _has_word(text) and len(text) <= _MAX_BOLD_HEADING_CHARS:
                heading_lines.setdefault(len(out) - 1, False)
        else:
            emit(text)
        previous_blank = not text.strip()

    while out and not out[-1]:
        out.pop()
    sections: list[tuple[int, str, int]] = []
    title = ""
    offset = 0
    deepest = max(levels.values(), default=0)
    for index, line in enumerate(out):
        if index in heading_lines:
            sections.append((offset, line, levels.get(index, min(6, deepest + 1))))
            if not title and heading_lines[index]:
                title = line
        offset += len(line) + 1
    return Parsed(text="\n".join(out), title=title, sections=sections)


# --------------------------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------------------------

# Page furniture: navigation, chrome and non-text elements never belong in the index.
