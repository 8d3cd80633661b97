"""Bulk runs for recruitment events: every talent of a pool ranked against every loaded job, streamed to disk.

The local engine (``run_bulk``) writes per-talent top-N rows batch by batch, keeps per-job shortlists in
bounded heaps, checkpoints completed batches so an interrupted run resumes without duplicated or lost rows,
and finishes with CSVs, ``summary.json`` and a Chinese workbook. Outputs carry talent ids only: names and
phones are never loaded, so no personal data reaches the files.
"""
from __future__ import annotations

from matcher.bulk.checkpoint import CheckpointMismatch
from matcher.bulk.run import BulkParams, BulkResult, run_bulk

__all__ = ["BulkParams", "BulkResult", "CheckpointMismatch", "run_bulk"]
