"""HTML from Jinja2 templates with autoescape: nothing from a document is ever markup.

The templates are package data in ``assistant/templates/`` (``results.html`` for the notebook views
of the result dataclasses, ``chat/sources.html`` for the chat's sources panel). Every ``{{ value }}``
goes through ``escape_html``, which escapes more than Jinja2's default: ``$`` and backticks too,
because Gradio's HTML component reads ``${...}`` as its own template syntax. Only our own macros'
output (``Markup``) passes through unescaped.

Example::

    >>> render_macro("chat/sources.html", "highlight", "a <b>", "quote", "after")
    'a &lt;b&gt;<mark>quote</mark>after'
"""

from __future__ import annotations

from functools import lru_cache
from html import escape
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup


def escape_html(text: object) -> str:
    """Untrusted text as inert HTML (quotes too; ``$`` and backticks as entities for template engines)."""
    return escape(str(text), quote=True).replace("$", "&#36;").replace("`", "&#96;")


def _finalize(value: Any) -> Any:
    """Every printed value: our stricter escape, unless it is already markup (a macro's output)."""
    if value is None:
        return ""
    if hasattr(value, "__html__"):
        return value
    return Markup(escape_html(value))


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The package's one Jinja2 environment (templates loaded once, cached by Jinja2)."""
    return Environment(
        loader=PackageLoader("assistant", "templates"),
        autoescape=True,
        finalize=_finalize,
        undefined=StrictUndefined,  # a misspelt name fails loudly instead of rendering nothing
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render(template: str, **context: Any) -> str:
    """A whole template rendered with ``context``."""
    return environment().get_template(template).render(**context)


def render_macro(template: str, name: str, *args: Any, **kwargs: Any) -> str:
    """One macro of a template, called with ``args`` (how Python asks for a fragment)."""
    return str(getattr(environment().get_template(template).module, name)(*args, **kwargs))
