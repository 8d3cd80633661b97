"""Bulk runs for recruitment events: every talent of a pool ranked against the event's jobs, streamed to disk.

``run_bulk`` cuts the pool into batches, has an engine rank them (in this process, in worker processes, or
on Spark executors: ``engine``), writes each batch's per-talent top-N rows to a part file, keeps per-job
shortlists in bounded heaps and checkpoints completed batches, so an interrupted run resumes without
duplicated or lost rows. ``outputs`` then writes the CSV/Parquet tables, the interview schedule
(``schedule``), ``summary.json``, the Chinese workbook and the printable report. Outputs carry talent ids;
names and phones go into the workbook only when the caller passes ``contacts`` (and audits the export).
"""
from __future__ import annotations

from matcher.bulk.checkpoint import CheckpointMismatch
from matcher.bulk.run import BulkParams, BulkResult, run_bulk

__all__ = ["BulkParams", "BulkResult", "CheckpointMismatch", "run_bulk"]
