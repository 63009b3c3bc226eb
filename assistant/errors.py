"""One-line error messages: what users see instead of tracebacks.

Example::

    >>> one_line(ValueError("bad\\nthing"))
    'bad thing'
    >>> checked("top_k", 0, pydantic.PositiveInt)
    Traceback (most recent call last):
    ValueError: top_k: input should be greater than 0, got 0
"""

from __future__ import annotations

from functools import cache
from typing import Any

from pydantic import TypeAdapter, ValidationError


def one_line(exc: BaseException | str, limit: int = 200, default: str | None = None) -> str:
    """The message of ``exc`` on one line, at most ``limit`` characters (``default``, else the type name, if it has none)."""
    text = " ".join(str(exc).split()) or default or (type(exc).__name__ if isinstance(exc, BaseException) else "")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def validation_message(exc: ValidationError, name: str = "") -> str:
    """The first problem pydantic found, on one line, naming the value (``name`` prefixes its location).

    A validator's own ``ValueError`` is kept as written (prefixed with the location unless it names it).
    """
    error = exc.errors(include_url=False)[0]
    where = (name + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error["loc"])).lstrip(".")
    cause = (error.get("ctx") or {}).get("error")
    if error["type"] == "value_error" and cause is not None:
        text = one_line(cause, 300)
        return text if text.startswith(where) else f"{where}: {text}"
    message = error["msg"][:1].lower() + error["msg"][1:]
    return one_line(f"{where}: {message}, got {error['input']!r}", 300)


@cache
def _adapter(kind: Any) -> TypeAdapter[Any]:
    return TypeAdapter(kind)


def checked(name: str, value: Any, kind: Any) -> Any:
    """``value`` validated as ``kind`` (a type, often an ``Annotated`` one declared beside the component).

    Components check their constructor arguments with this, and ``Settings`` declares its fields with
    the same types, so each bound is written once. Raises a one-line ``ValueError`` naming ``name``.
    """
    try:
        return _adapter(kind).validate_python(value)
    except ValidationError as exc:
        raise ValueError(validation_message(exc, name)) from None
