"""Retrieval's options and their bounds, declared once (``HybridRetriever`` and ``Settings`` use them).

A module of its own so that loading ``Settings`` (every start) doesn't load llama-index.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator

FusionMode = Literal["reciprocal_rerank", "relative_score", "dist_based_score", "simple"]
"""llama-index's ``FUSION_MODES`` values."""


def _fusion_weights(weights: tuple[float, ...]) -> tuple[float, ...]:
    if len(weights) != 2 or min(weights) < 0 or sum(weights) <= 0:
        raise ValueError(f"fusion_weights must be two non-negative numbers (dense, keyword), got {weights}")
    return weights


FusionWeights = Annotated[tuple[float, ...], AfterValidator(_fusion_weights)]
"""Weights of the dense and keyword retrievers in score-based fusion modes."""
