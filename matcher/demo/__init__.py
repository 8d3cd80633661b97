"""Seeded demo data: an urgent-need job catalogue, talent pools and recommendation outcome events.

Public API: ``generate_jobs``, ``generate_catalogue``, ``generate_talents`` (chunks), ``talents_frame``,
``generate_events`` and ``write_demo``. Generated frames carry ``truth_*`` columns (the generator's
internal truth) beside the raw columns; only the raw columns are ever written to disk.
"""
from __future__ import annotations

from matcher.demo.catalogue import JOB_COLUMNS, Catalogue, generate_catalogue, generate_jobs
from matcher.demo.outcomes import EVENT_COLUMNS, EVENT_KINDS, generate_events
from matcher.demo.talent_text import TALENT_COLUMNS
from matcher.demo.talents import generate_talents, talents_frame
from matcher.demo.writer import JOB_HEADERS, TALENT_HEADERS, DemoSummary, write_demo

__all__ = [
    "EVENT_COLUMNS", "EVENT_KINDS", "JOB_COLUMNS", "JOB_HEADERS", "TALENT_COLUMNS", "TALENT_HEADERS",
    "Catalogue", "DemoSummary", "generate_catalogue", "generate_events", "generate_jobs", "generate_talents",
    "talents_frame", "write_demo",
]
