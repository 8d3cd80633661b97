"""Major fit: does the job's occupation lie where the talent's major leads (majors.csv → 大典 prefixes)?"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

SAME_OCCUPATION_FIT = 1.0
"""The job's occupation falls under an occupation, 小类 or 中类 the major leads to (护理学 → 内科护士)."""
SAME_MIDDLE_CLASS_FIT = 0.5
"""Only the 中类 is shared (电气工程及其自动化 leads to 电工 6-31-01-03; 机修钳工 6-31-01-02 is next door)."""
_MIDDLE_CLASS_LENGTH = len("2-05")
_CODE_WIDTH = len("2-05-08-01")


def major_fit(major_occupation_prefixes: Sequence[Sequence[str] | None],
              job_occupation_codes: Sequence[str | None]) -> np.ndarray:
    """(n,) float64 in [0, 1] for n (talent, job) pairs; NaN where the major or the job's code is unknown.

    ``major_occupation_prefixes[i]`` is the pair's talent's ``major_occupations`` (大典 code prefixes such
    as 2-05-08 or 6-31-01-03; empty or None when the major did not resolve); ``job_occupation_codes[i]``
    the job's level-4 code. Scores: 1 when the code starts with one of the prefixes, 0.5 when it shares
    a prefix's 中类, else 0. One pass over all (pair, prefix) rows: no Python loop per pair.
    """
    count = len(job_occupation_codes)
    if len(major_occupation_prefixes) != count:
        raise ValueError(f"major_fit: {len(major_occupation_prefixes)} prefix lists for {count} job codes")
    prefix_lists = [_as_list(p) for p in major_occupation_prefixes]
    lengths = np.fromiter((len(p) for p in prefix_lists), dtype=np.int64, count=count)
    jobs = np.array([c if isinstance(c, str) else "" for c in job_occupation_codes], dtype=f"U{_CODE_WIDTH}")
    known = (lengths > 0) & (np.char.str_len(jobs) > 0)
    fit = np.full(count, np.nan)
    if not known.any():
        return fit
    owner = np.repeat(np.arange(count), lengths)
    prefixes = np.array([p for found in prefix_lists for p in found], dtype=f"U{_CODE_WIDTH}")
    job_per_prefix = jobs[owner]
    under = np.char.startswith(job_per_prefix, prefixes)
    same_middle = (np.char.str_len(prefixes) >= _MIDDLE_CLASS_LENGTH) & (
        prefixes.astype(f"U{_MIDDLE_CLASS_LENGTH}") == job_per_prefix.astype(f"U{_MIDDLE_CLASS_LENGTH}"))
    scores = np.where(under, SAME_OCCUPATION_FIT, np.where(same_middle, SAME_MIDDLE_CLASS_FIT, 0.0))
    best = np.zeros(count)
    np.maximum.at(best, owner, scores)
    fit[known] = best[known]
    return fit


def _as_list(prefixes: Sequence[str] | None) -> list[str]:
    """A stored list, tuple or array of prefixes; None or NaN (a missing JSON cell) is no major."""
    if prefixes is None or isinstance(prefixes, (float, str)):
        return []
    return [p for p in prefixes if isinstance(p, str) and p]
