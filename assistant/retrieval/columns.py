"""Chunk metadata as small columns beside the keyword index, so a filter becomes a row mask without Chroma.

Every scalar metadata key the chunks carry (source, publisher, date_ord, page, ... and any key a
later ingestion adds) is saved as one ``int32`` code per row plus the key's distinct values, so a
filter is evaluated once per distinct value, with llama-index's own filter semantics
(``build_metadata_filter_fn``: a missing value matches only ``!=`` and ``nin``), and spread over the
rows with numpy: ~1 ms at 300,000 chunks, where asking Chroma for the matching ids takes seconds.
A filter on a key the columns don't hold is resolved by the caller (``fallback``: Chroma's ``where``).

Example::

    >>> builder = ColumnsBuilder(); builder.add([{"publisher": "NHS England"}, {}]); builder.save(path)
    >>> Columns(path).mask(MetadataFilters(filters=[MetadataFilter(key="publisher", value="NHS England")]), fallback)
    array([ True, False])
"""

from __future__ import annotations

import json
from array import array
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from llama_index.core.vector_stores.types import FilterCondition, MetadataFilter, MetadataFilters
from llama_index.core.vector_stores.utils import build_metadata_filter_fn

# Serialised node, node type and the three copies of the document id: never filtered on, large or unique.
SKIP_KEYS = frozenset({"_node_content", "_node_type", "doc_id", "document_id", "ref_doc_id", "window_vectors"})
_MANIFEST = "columns.json"
_MISSING = -1


class ColumnsBuilder:
    """Collects the metadata of rows added in order (a page at a time), then saves them as columns."""

    def __init__(self) -> None:
        self.rows = 0
        self._codes: dict[str, array[int]] = {}
        self._values: dict[str, dict[tuple[str, Any], int]] = {}

    def add(self, metadatas: Sequence[Mapping[str, Any]]) -> None:
        for meta in metadatas:
            for key, value in meta.items():
                if key in SKIP_KEYS or not isinstance(value, (str, int, float, bool)):
                    continue
                codes = self._codes.get(key)
                if codes is None:
                    codes = self._codes[key] = array("i", [_MISSING]) * self.rows
                    self._values[key] = {}
                distinct = self._values[key]
                # typed keys: 1, 1.0 and True are different metadata values
                codes.append(distinct.setdefault((type(value).__name__, value), len(distinct)))
            self.rows += 1
            for codes in self._codes.values():
                if len(codes) < self.rows:
                    codes.append(_MISSING)

    def save(self, directory: Path) -> None:
        keys = []
        for i, (key, codes) in enumerate(sorted(self._codes.items())):
            name = f"col-{i}.npy"
            np.save(directory / name, np.frombuffer(codes, dtype=np.int32) if len(codes) else np.zeros(0, np.int32))
            keys.append({"key": key, "file": name, "values": [v for (_, v) in self._values[key]]})
        (directory / _MANIFEST).write_text(json.dumps({"rows": self.rows, "keys": keys}), encoding="utf-8")


class Columns:
    """The saved columns of a keyword index (read lazily, memory-mapped); thread-safe for reading."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._manifest: dict[str, Any] | None = None

    def _keys(self) -> dict[str, dict[str, Any]]:
        if self._manifest is None:
            self._manifest = json.loads((self.directory / _MANIFEST).read_text(encoding="utf-8"))
        return {k["key"]: k for k in self._manifest["keys"]}

    @property
    def rows(self) -> int:
        self._keys()
        assert self._manifest is not None
        return int(self._manifest["rows"])

    def mask(self, filters: MetadataFilters, fallback: Callable[[MetadataFilter], np.ndarray]) -> np.ndarray:
        """Rows matching ``filters`` (a bool array); ``fallback`` answers a filter on a key with no column."""
        keys = self._keys()
        parts = []
        for leaf in filters.filters:
            if isinstance(leaf, MetadataFilters):
                parts.append(self.mask(leaf, fallback))
            elif leaf.key in keys:
                parts.append(self._leaf(leaf, keys[leaf.key]))
            else:
                parts.append(np.asarray(fallback(leaf), dtype=bool))
        if not parts:
            return np.ones(self.rows, dtype=bool)
        condition = filters.condition or FilterCondition.AND
        if condition == FilterCondition.AND:
            return np.logical_and.reduce(parts)
        if condition == FilterCondition.OR:
            return np.logical_or.reduce(parts)
        if condition == FilterCondition.NOT:
            return ~np.logical_or.reduce(parts)
        raise ValueError(f"Invalid filter condition: {condition}")

    def distinct(self, keys: Sequence[str]) -> list[dict[str, Any]]:
        """The distinct combinations of ``keys``' values over the rows ("" where a row lacks one): e.g. each
        document's source, title and publisher, without reading the catalogue."""
        columns = self._keys()
        present = [k for k in keys if k in columns]
        if not present or not self.rows:
            return []
        codes = np.stack([np.asarray(np.load(self.directory / columns[k]["file"], mmap_mode="r")) for k in present], axis=1)
        out = []
        for row in np.unique(codes, axis=0):
            values = {k: (columns[k]["values"][c] if c != _MISSING else "") for k, c in zip(present, row.tolist())}
            out.append({k: values.get(k, "") for k in keys})
        return out

    def _leaf(self, leaf: MetadataFilter, column: dict[str, Any]) -> np.ndarray:
        values = column["values"]
        metadata = {str(i): {leaf.key: v} for i, v in enumerate(values)} | {"missing": {}}  # rows without the key
        match = build_metadata_filter_fn(metadata.__getitem__, MetadataFilters(filters=[leaf]))
        table = np.fromiter((match(k) for k in metadata), dtype=bool, count=len(metadata))  # the last: "missing"
        codes = np.load(self.directory / column["file"], mmap_mode="r")
        return table[codes]  # code -1 picks the last entry: "missing"
