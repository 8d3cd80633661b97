"""Candidate retrieval: hard filters, dense + sparse channels, reciprocal-rank fusion."""
from __future__ import annotations

from matcher.retrieve.candidates import CandidatePool
from matcher.retrieve.filters import RetrievalFilters
from matcher.retrieve.hybrid import RANK_DEPTH, RetrievalConfig, retrieve, retrieve_batch

__all__ = ["RANK_DEPTH", "CandidatePool", "RetrievalConfig", "RetrievalFilters", "retrieve", "retrieve_batch"]
