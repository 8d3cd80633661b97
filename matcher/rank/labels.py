"""Graded relevance from recorded outcome events: hired 3 > interviewed 2 > applied 1 > viewed or nothing 0.

A rejection sets the pair to 0: an application the employer turned down is evidence of a poor
match, even though the talent showed interest. A hire always wins over an earlier rejection.
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
        hired=events["kind"].eq("hired"),
        rejected=events["kind"].eq("rejected"),
        occurred_at=pd.to_datetime(events["occurred_at"], errors="coerce"),
    )
    grouped = frame.groupby(["talent_id", "job_id"], sort=False).agg(
        grade=("grade", "max"), hired=("hired", "any"), rejected=("rejected", "any"),
        first_at=("occurred_at", "min"), last_at=("occurred_at", "max"),
    ).reset_index()
    grouped["label"] = grouped["grade"].where(grouped["hired"] | ~grouped["rejected"], 0).astype(int)
    return grouped[["talent_id", "job_id", "label", "first_at", "last_at"]]
