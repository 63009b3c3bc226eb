"""One-line error messages: what users see instead of tracebacks.

Example::

    >>> one_line(ValueError("bad\\nthing"))
    'bad thing'
"""

from __future__ import annotations


def one_line(exc: BaseException | str, limit: int = 200) -> str:
    """The message of ``exc`` on one line, at most ``limit`` characters (the type name if it has none)."""
    text = " ".join(str(exc).split()) or (type(exc).__name__ if isinstance(exc, BaseException) else "")
    return text if len(text) <= limit else text[: limit - 1] + "…"
