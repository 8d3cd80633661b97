"""What a finished bulk run reports: the median pair score and urgent positions short of candidates."""
from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

import numpy as np
import pandas as pd

URGENT_STARS = 4
CHUNK_ROWS = 200_000
GAP_COLUMNS = ("job_id", "title", "employer", "city", "urgency_stars", "headcount", "candidates_above_median",
               "shortfall")


def median_score(pairs: pd.DataFrame) -> float | None:
    """Median over every written pair's score (``read_pairs`` of talent_top.csv), taken in float32."""
    return float(np.median(pairs["score"].to_numpy(np.float32))) if len(pairs) else None


def candidates_above(pairs: pd.DataFrame, threshold: float) -> Counter[str]:
    """Per job, how many talents have it in their top N with a score strictly above ``threshold``."""
    return Counter(pairs.loc[pairs["score"] > threshold, "job_id"].value_counts().to_dict())


def urgent_gaps(jobs: pd.DataFrame, counts: Mapping[str, int]) -> list[dict]:
    """Jobs of ★4–5 with fewer candidates above the median than their headcount (missing headcount: 1).

    Ordered by urgency (most stars first), then by shortfall, then job id.
    """
    urgent = jobs[jobs["urgency_stars"].fillna(0) >= URGENT_STARS]
    gaps = []
    for job_id, job in urgent.iterrows():
        headcount = 1 if pd.isna(job["headcount"]) else int(job["headcount"])
        found = counts.get(str(job_id), 0)
        if found < headcount:
            gaps.append({"job_id": str(job_id), "title": job["title"], "employer": job["employer"],
                         "city": job["city"], "urgency_stars": int(job["urgency_stars"]), "headcount": headcount,
                         "candidates_above_median": found, "shortfall": headcount - found})
    return sorted(gaps, key=lambda g: (-g["urgency_stars"], -g["shortfall"], g["job_id"]))
