"""Major fit: does the job's occupation lie where the talent's major leads (majors.csv → 大典 prefixes)?"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

SAME_OCCUPATION_FIT = 1.0
"""The job's occupation falls under an occupation, 小类 or 中类 the major leads to (护理学 → 内科护士)."""
SAME_MIDDLE_CLASS_FIT = 0.5
"""Only the 中类 is shared (电气工程及其自动化 leads to 电工 6-31-01-03; 机修钳工 6-31-01-02 is next door)."""
_MIDDLE_CLASS_LENGTH = len("2-05")


def major_fit(major_occupation_prefixes: Sequence[Sequence[str] | None],
              job_occupation_codes: Sequence[str | None]) -> np.ndarray:
    """(n,) float64 in [0, 1] for n (talent, job) pairs; NaN where the major or the job's code is unknown.

    ``major_occupation_prefixes[i]`` is the pair's talent's ``major_occupations`` (大典 code prefixes such
    as 2-05-08 or 6-31-01-03; empty or None when the major did not resolve); ``job_occupation_codes[i]``
    the job's level-4 code. Scores: 1 when the code starts with one of the prefixes, 0.5 when it shares
    a prefix's 中类, else 0. Pairs repeat a few hundred distinct majors and job codes, so the scores are
    computed once per (distinct major, distinct code) and gathered: the same list object repeated for a
    talent's pairs is recognised by identity, without hashing its contents per pair.
    """
    items = list(major_occupation_prefixes)
    count = len(job_occupation_codes)
    if len(items) != count:
        raise ValueError(f"major_fit: {len(items)} prefix lists for {count} job codes")
    fit = np.full(count, np.nan)
    if count == 0:
        return fit
    major_of_pair, majors = _distinct_majors(items)
    job_of_pair, jobs = pd.factorize(pd.Series(list(job_occupation_codes), dtype=object).replace("", None))
    known = (major_of_pair >= 0) & (job_of_pair >= 0)
    if known.any():
        table = _fit_table(majors, np.asarray(jobs, dtype=str))
        fit[known] = table[major_of_pair[known], job_of_pair[known]]
    return fit


def _distinct_majors(items: list) -> tuple[np.ndarray, list[tuple[str, ...]]]:
    """Each pair's index into the distinct non-empty prefix sets (-1 for none), and those sets."""
    identities = np.fromiter(map(id, items), dtype=np.uint64, count=len(items))
    _, first, inverse = np.unique(identities, return_index=True, return_inverse=True)
    distinct: dict[tuple[str, ...], int] = {}
    per_object = np.empty(len(first), dtype=np.int64)
    for position, index in enumerate(first):
        prefixes = _as_tuple(items[index])
        per_object[position] = distinct.setdefault(prefixes, len(distinct)) if prefixes else -1
    return per_object[inverse.ravel()], list(distinct)


def _fit_table(majors: list[tuple[str, ...]], jobs: np.ndarray) -> np.ndarray:
    """(distinct majors, distinct job codes) float64 scores."""
    middle = jobs.astype(f"U{_MIDDLE_CLASS_LENGTH}")
    table = np.zeros((len(majors), len(jobs)))
    for row, prefixes in enumerate(majors):
        for prefix in prefixes:
            under = np.char.startswith(jobs, prefix)
            near = middle == prefix[:_MIDDLE_CLASS_LENGTH]
            scores = np.where(under, SAME_OCCUPATION_FIT, np.where(near, SAME_MIDDLE_CLASS_FIT, 0.0))
            np.maximum(table[row], scores, out=table[row])
    return table


def _as_tuple(prefixes: Sequence[str] | None) -> tuple[str, ...]:
    """A stored list, tuple or array of prefixes; None or NaN (a missing JSON cell) is no major."""
    if prefixes is None or isinstance(prefixes, float | str):
        return ()
    return tuple(sorted({p for p in prefixes if isinstance(p, str) and p}))
