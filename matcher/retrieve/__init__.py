"""Candidate retrieval: hard filters, dense + sparse channels, reciprocal-rank fusion."""
from __future__ import annotations

from matcher.retrieve.candidates import CandidatePool
from matcher.retrieve.hybrid import RetrievalConfig, retrieve

__all__ = ["CandidatePool", "RetrievalConfig", "retrieve"]
