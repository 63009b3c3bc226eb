"""Search filters: restrict retrieval to some documents, publishers, a date range or current documents.

Applied as llama-index ``MetadataFilters``, which both Chroma (dense) and BM25 (keyword) understand,
so both retrievers see the same subset before fusion. ``current_only`` becomes a filter on the
chunks' ``path`` (not in the superseded documents'), read from the catalogue's stored standing
(``ingest.lineage.refresh_standing``): a document becomes superseded when its successor is ingested,
without its own chunks being rewritten.

Example::

    >>> SearchFilters.coerce({"publishers": ["NHS England"], "date_from": "2023"})
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from assistant.text.dates import date_ordinal

if TYPE_CHECKING:
    from llama_index.core.vector_stores.types import MetadataFilters


class FilterError(ValueError):
    """A search filter is malformed (one-line message)."""


@dataclass(frozen=True)
class SearchFilters:
    """Restrict a search to some documents (file names), publishers and/or a date range (ISO dates).

    Example::

        >>> SearchFilters(publishers=("NHS England",), date_from="2025-01")
    """

    documents: tuple[str, ...] = ()
    publishers: tuple[str, ...] = ()
    date_from: str | None = None
    date_to: str | None = None
    current_only: bool = False
    """Leave out documents that another indexed document supersedes."""

    @classmethod
    def coerce(cls, value: "SearchFilters | Mapping[str, Any] | None") -> "SearchFilters | None":
        if value is None or isinstance(value, SearchFilters):
            return value
        if not isinstance(value, Mapping):
            raise FilterError(f"filters must be a SearchFilters or a dict, not {type(value).__name__}")
        unknown = set(value) - {"documents", "publishers", "date_from", "date_to", "current_only"}
        if unknown:
            raise FilterError(
                f"unknown filter(s): {', '.join(sorted(unknown))} (use documents, publishers, date_from, date_to, current_only)"
            )
        current_only = value.get("current_only", False)
        if not isinstance(current_only, bool):
            raise FilterError(f"current_only must be true or false, got {current_only!r}")

        def names(key: str) -> tuple[str, ...]:
            raw = value.get(key) or ()
            return (raw,) if isinstance(raw, str) else tuple(str(v) for v in raw)

        return cls(names("documents"), names("publishers"), value.get("date_from"), value.get("date_to"), current_only)

    def __post_init__(self) -> None:
        for name in ("date_from", "date_to"):
            date = getattr(self, name)
            if date is not None and date_ordinal(str(date)) == 0:
                raise FilterError(f"{name} must be an ISO date like 2025-01-31, 2025-01 or 2025, got {date!r}")

    @property
    def empty(self) -> bool:
        return not (self.documents or self.publishers or self.date_from or self.date_to or self.current_only)

    def to_metadata_filters(self, superseded: Collection[str] = ()) -> MetadataFilters | None:
        """As llama-index filters (understood by both Chroma and BM25).

        ``superseded``: paths of the documents ``current_only`` leaves out (``Lineage.superseded_paths``).
        """
        from llama_index.core.vector_stores.types import (
            FilterCondition,
            FilterOperator,
            MetadataFilter,
            MetadataFilters,
        )

        parts: list[MetadataFilter] = []
        if self.current_only and superseded:
            parts.append(MetadataFilter(key="path", value=sorted(superseded), operator=FilterOperator.NIN))
        if self.documents:
            parts.append(MetadataFilter(key="source", value=list(self.documents), operator=FilterOperator.IN))
        if self.publishers:
            parts.append(MetadataFilter(key="publisher", value=list(self.publishers), operator=FilterOperator.IN))
        if self.date_from:
            parts.append(MetadataFilter(key="date_ord", value=date_ordinal(self.date_from), operator=FilterOperator.GTE))
        if self.date_to:
            # "2025-01" as an upper bound means the end of January.
            parts.append(MetadataFilter(key="date_ord", value=_upper_bound(self.date_to), operator=FilterOperator.LTE))
        if not parts:
            return None
        return MetadataFilters(filters=parts, condition=FilterCondition.AND)  # type: ignore[arg-type]


def _upper_bound(date: str) -> int:
    value = date_ordinal(date)
    if value % 100 == 0:
        value += 99 if value % 10000 != 0 else 9999
    return value
