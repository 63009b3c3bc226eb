"""The answer writers' options and their bounds, declared once.

``GenerativeAnswerer``, ``make_llm`` and the LLM client check their arguments with these types, and
``Settings`` declares its fields with them. A module of its own so that loading ``Settings`` (every
start) doesn't load the writers themselves (an HTTP client, the claim checker).
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from annotated_types import Ge
from pydantic import AfterValidator

LLMBackend = Literal["openai", "gguf"]
"""An OpenAI-compatible server, or a local GGUF file run by llama.cpp."""

MIN_GGUF_CONTEXT = 512  # llama.cpp context below this cannot hold the prompt and a passage
GGUFContext = Annotated[int, Ge(MIN_GGUF_CONTEXT)]

PromptTokens = Annotated[int, Ge(256)]
"""A prompt budget (tiktoken tokens): below 256 the instructions leave no room for a passage."""

UnsupportedPolicy = Literal["drop", "flag"]
"""What becomes of a sentence of the model's that no passage supports: dropped, or kept and marked."""


def _base_url(url: str) -> str:
    if not re.match(r"^https?://[^/\s]+", url):
        raise ValueError(f"must start with http:// or https://, got {url!r}")
    return url


BaseURL = Annotated[str, AfterValidator(_base_url)]
"""An OpenAI-compatible server's base URL, the path before ``/chat/completions``."""
