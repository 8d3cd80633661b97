"""What a finished bulk run reports: the median pair score, urgent positions short of fitting talents, and the
talents for whom no position passed the relevance floor (暂无合适岗位), with what their register entry lacks."""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

URGENT_STARS = 4
CHUNK_ROWS = 200_000
GAP_COLUMNS = ("job_id", "title", "employer", "city", "urgency_stars", "headcount", "fitting_candidates",
               "shortfall")


def median_score(scores: np.ndarray) -> float | None:
    """Median over every written pair's score (talent_top.csv's score column), taken in float32."""
    return float(np.median(np.asarray(scores, np.float32))) if len(scores) else None


def urgent_jobs(jobs: pd.DataFrame) -> pd.DataFrame:
    """The ★4–5 rows of ``jobs``."""
    return jobs[pd.to_numeric(jobs["urgency_stars"], errors="coerce").fillna(0) >= URGENT_STARS]


def headcounts(jobs: pd.DataFrame) -> pd.Series:
    """Positions to fill per job: the headcount, 1 where it is missing."""
    return pd.to_numeric(jobs["headcount"], errors="coerce").fillna(1).astype(int)


def urgent_gaps(jobs: pd.DataFrame, counts: Mapping[str, int]) -> list[dict]:
    """Jobs of ★4–5 with fewer fitting talents in the run's pool (``counts``: Matcher.fitting_counts, whatever
    each talent's top N) than their headcount (missing headcount: 1).

    Ordered by urgency (most stars first), then by shortfall, then job id.
    """
    urgent = urgent_jobs(jobs)
    gaps = []
    for (job_id, job), headcount in zip(urgent.iterrows(), headcounts(urgent), strict=True):
        found = counts.get(str(job_id), 0)
        if found < headcount:
            gaps.append({"job_id": str(job_id), "title": job["title"], "employer": job["employer"],
                         "city": job["city"], "urgency_stars": int(job["urgency_stars"]), "headcount": headcount,
                         "fitting_candidates": found, "shortfall": headcount - found})
    return sorted(gaps, key=lambda g: (-g["urgency_stars"], -g["shortfall"], g["job_id"]))


REGISTER_FIELDS = {"current_title": "现职业/工种", "skills_norm": "技能", "certificates_norm": "证书", "major": "专业",
                   "summary": "个人简介"}
"""Register fields that decide fit: an empty one is named in the 暂无合适岗位 sheet, so staff know what to ask."""


def no_fit_rows(talents: pd.DataFrame, matched: pd.Series) -> pd.DataFrame:
    """talent_id, current_title, note: the run's talents (``talents`` indexed by id) with no pair written,
    in pool order. The note says 暂无合适岗位 and which of REGISTER_FIELDS are empty."""
    left = talents.loc[~talents.index.astype(str).isin(set(matched.astype(str)))]
    notes = [_no_fit_note(row) for row in left[[c for c in REGISTER_FIELDS if c in left]].to_dict("records")]
    titles = left["current_title"] if "current_title" in left else pd.Series([None] * len(left), index=left.index)
    return pd.DataFrame({"talent_id": left.index.astype(str), "current_title": titles.fillna("").to_numpy(),
                         "note": notes})


def _no_fit_note(row: dict) -> str:
    empty = [label for name, label in REGISTER_FIELDS.items() if name in row and not _filled(row[name])]
    return "暂无合适岗位：本次岗位与其职业、技能、证书均不对口" + (f"；登记信息缺少{'、'.join(empty)}" if empty else "")


def _filled(value: object) -> bool:
    if value is None or (isinstance(value, float) and value != value):
        return False
    return bool(len(value)) if hasattr(value, "__len__") else True
