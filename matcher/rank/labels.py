"""Graded relevance from recorded outcome events: hired 3 > interviewed 2 > applied 1 > viewed or nothing 0.

A pair's label is the furthest stage it reached. A rejection does not erase that stage: most
interviews end in a rejection, and an interviewed-then-rejected candidate was still a closer fit
than one who was only viewed (erasing it left almost no label-2 pairs in the demo data).
"""
from __future__ import annotations

import pandas as pd

EVENT_GRADES = {"viewed": 0, "applied": 1, "interviewed": 2, "hired": 3, "rejected": 0}
EVENT_KINDS = tuple(EVENT_GRADES)


def pair_labels(events: pd.DataFrame) -> pd.DataFrame:
    """events (talent_id, job_id, kind, occurred_at) -> one row per pair: label, first_at, last_at."""
    unknown = set(events["kind"].unique()) - set(EVENT_GRADES)
    if unknown:
        raise ValueError(f"unknown event kinds {sorted(unknown)}; expected one of {list(EVENT_KINDS)}")
    frame = events.assign(
        grade=events["kind"].map(EVENT_GRADES),
        occurred_at=pd.to_datetime(events["occurred_at"], errors="coerce"),
    )
    grouped = frame.groupby(["talent_id", "job_id"], sort=False).agg(
        grade=("grade", "max"), first_at=("occurred_at", "min"), last_at=("occurred_at", "max"),
    ).reset_index()
    grouped["label"] = grouped["grade"].astype(int)
    return grouped[["talent_id", "job_id", "label", "first_at", "last_at"]]
