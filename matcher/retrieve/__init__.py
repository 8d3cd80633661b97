"""Candidate retrieval: hard filters, dense + sparse channels, reciprocal-rank fusion."""
from __future__ import annotations

from matcher.retrieve.candidates import CandidatePool
from matcher.retrieve.filters import RetrievalFilters, allowed_rows, filter_metadata
from matcher.retrieve.fusion import CANDIDATE_COLUMNS, fuse, reciprocal_rank_fusion
from matcher.retrieve.hybrid import RetrievalConfig, jobs_for_talent, retrieve, talents_for_job

__all__ = [
    "CANDIDATE_COLUMNS", "CandidatePool", "RetrievalConfig", "RetrievalFilters", "allowed_rows",
    "filter_metadata", "fuse", "jobs_for_talent", "reciprocal_rank_fusion", "retrieve", "talents_for_job",
]
