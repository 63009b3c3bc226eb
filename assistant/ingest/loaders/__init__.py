"""Loaders: files (TXT, MD, HTML, PDF, DOCX) → llama-index ``Document``s with metadata.

One module per format (``plaintext``, ``markdown``, ``html``, ``pdf``, ``docx``), each a
``parse(raw: bytes) -> Parsed``; ``registry`` maps extensions to them and builds the Documents.
To add a format: write ``<format>.py`` with ``parse`` and add it to ``registry.FORMATS`` / ``PARSERS``.
"""

from assistant.ingest.loaders.base import LoadError, Parsed
from assistant.ingest.loaders.manifest import MANIFEST_COLUMNS, MANIFEST_NAME, ManifestEntry, read_manifest
from assistant.ingest.loaders.registry import (
    DEFAULT_MAX_BYTES,
    FORMATS,
    PARSERS,
    SUPPORTED_SUFFIXES,
    LoadFailure,
    LoadResult,
    find_files,
    load_file,
    load_paths,
)

__all__ = [
    "DEFAULT_MAX_BYTES", "FORMATS", "MANIFEST_COLUMNS", "MANIFEST_NAME", "PARSERS", "SUPPORTED_SUFFIXES", "LoadError",
    "LoadFailure", "LoadResult", "ManifestEntry", "Parsed", "find_files", "load_file", "load_paths", "read_manifest",
]
