"""Bulk runs for recruitment events: every talent of a pool ranked against the event's jobs, streamed to disk.

``run_bulk`` cuts the pool into batches, has an engine rank them (in this process, in worker processes, or
on Spark executors: ``engine``), writes each batch's per-talent top-N rows to a part file, keeps per-job
shortlists in bounded heaps and checkpoints completed batches, so an interrupted run resumes without
duplicated or lost rows. ``outputs`` then writes the CSV/Parquet tables, the event's interview timetable
(pairs chosen in ``schedule``, times given in ``timetable``), ``summary.json``, the Chinese workbook, the
printable booth sheets and slips (``print_pdf``) and the event report. Outputs carry talent ids;
names and phones go into the workbook only when the caller passes ``contacts`` (and audits the export).
"""
from __future__ import annotations

from matcher.bulk.checkpoint import CheckpointMismatch
from matcher.bulk.run import BulkParams, BulkResult, run_bulk

__all__ = ["BulkParams", "BulkResult", "CheckpointMismatch", "run_bulk"]
