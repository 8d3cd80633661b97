"""Match features for (talent, job) pairs: FEATURE_COLUMNS is the single ordered list.

One compiled pass over the pairs computes every feature from the two sides' encoded profiles
(matcher.rank.encoded: per-entity numbers, code ids and sorted id sets), the same for a query's hundred pairs
and a training set's millions. Missing data gives NaN (LightGBM routes it explicitly), never a match.
Gender is deliberately absent: it is not an input to any feature.
"""
from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from matcher.rank.encoded import EncodedProfiles, Layout

if TYPE_CHECKING:
    from matcher.rank.profiles import Profiles

RETRIEVAL_COLUMNS = ("dense_score", "dense_rank", "sparse_score", "sparse_rank", "fused_score")

FEATURE_COLUMNS: tuple[str, ...] = (
    *RETRIEVAL_COLUMNS,
    "cert_required", "cert_held", "cert_level_gap", "cert_meets_level", "title_rank_gap",
    "skill_overlap", "skill_jaccard", "title_similarity", "occupation_match",
    "hometown_level", "willing_to_return", "job_city_in_intent", "current_city_same",
    "industry_same_key", "industry_same_section",
    "education_gap", "experience_gap", "salary_gap_ratio", "salary_within",
    "urgency_stars", "urgency_index", "headcount", "talent_category", "age",
)
CATEGORICAL_FEATURES = ("talent_category",)

TALENT_LAYOUT = Layout(
    numbers=("title_rank", "education_rank", "experience_years", "expected_salary_min", "willing_to_return", "age",
             "talent_category"),
    codes=("hometown_province_code", "hometown_city_code", "hometown_county_code", "current_city_code",
           "industry_key", "industry_section"),
    sets=("held_certs", "skills", "title_bigrams", "intent_city_codes", "occupation_code"),
)
"""What the pair features read of a talent profile, in the order :func:`_pair_features` indexes it."""
JOB_LAYOUT = Layout(
    numbers=("req_cert_level", "req_title_rank", "education_rank", "experience_min", "salary_max", "urgency_stars",
             "urgency_index", "headcount"),
    codes=("req_cert_key", "province_code", "city_code", "county_code", "industry_key", "industry_section"),
    sets=("skills", "title_bigrams", "occupation_code"),
)
"""What the pair features read of a job profile, in the order :func:`_pair_features` indexes it."""


def build_features(pairs: pd.DataFrame, talents: Profiles, jobs: Profiles) -> pd.DataFrame:
    """(n pairs) -> (n, len(FEATURE_COLUMNS)) float32 frame, same row order and index as ``pairs``.

    pairs: talent_id, job_id and optionally the retrieval columns (absent -> NaN).
    """
    retrieval = {col: pairs[col].to_numpy(dtype=float) for col in RETRIEVAL_COLUMNS if col in pairs}
    matrix = feature_matrix(talents.features_table(), talents.positions(pairs["talent_id"]),
                            jobs.features_table(), jobs.positions(pairs["job_id"]), retrieval)
    return pd.DataFrame(matrix, columns=list(FEATURE_COLUMNS), index=pairs.index)


def feature_matrix(talents: EncodedProfiles, talent_rows: np.ndarray, jobs: EncodedProfiles, job_rows: np.ndarray,
                   retrieval: Mapping[str, np.ndarray]) -> np.ndarray:
    """(n, len(FEATURE_COLUMNS)) float32 for the n pairs (``talent_rows[i]``, ``job_rows[i]``) of rows of the
    two encoded profile tables (TALENT_LAYOUT, JOB_LAYOUT). ``retrieval`` holds any of RETRIEVAL_COLUMNS
    (absent -> NaN). The serving path calls this directly: a query's pairs never pass through pandas."""
    n = len(talent_rows)
    if len(job_rows) != n:
        raise ValueError(f"{n} talent rows for {len(job_rows)} job rows")
    matrix = np.empty((n, len(FEATURE_COLUMNS)), dtype=np.float32)
    for i, col in enumerate(RETRIEVAL_COLUMNS):
        matrix[:, i] = retrieval[col] if col in retrieval else np.nan
    if n:
        _compiled()(np.ascontiguousarray(talent_rows, dtype=np.int64), talents.numbers, talents.codes,
                    talents.offsets, talents.values, talents.levels, np.ascontiguousarray(job_rows, dtype=np.int64),
                    jobs.numbers, jobs.codes, jobs.offsets, jobs.values, jobs.levels, matrix, len(RETRIEVAL_COLUMNS))
    return matrix


def feature_values(features: pd.DataFrame | np.ndarray) -> np.ndarray:
    """FEATURE_COLUMNS as a float32 matrix, from a frame (any column order) or a matrix already in that order."""
    if isinstance(features, np.ndarray):
        return features
    return features[list(FEATURE_COLUMNS)].to_numpy(dtype=np.float32)


def _pair_features(t_rows, t_num, t_code, t_off, t_val, t_lvl, j_rows, j_num, j_code, j_off, j_val, j_lvl,
                   out, first):  # pragma: no cover - compiled
    """Every non-retrieval feature of each pair into ``out[:, first:]``, in FEATURE_COLUMNS order. Indexes follow
    TALENT_LAYOUT and JOB_LAYOUT. Arithmetic in float64, stored as float32."""
    nan = np.nan
    for p in range(t_rows.shape[0]):
        t, j = t_rows[p], j_rows[p]
        f = first
        # certificates: the job's first required certificate, looked up among the talent's held ones
        required = j_code[j, 0] != 0
        held = nan  # NaN: not held; 0: held without a level; 1..5: the level held
        if required:
            for k in range(t_off[t, 0], t_off[t, 1]):
                if t_val[k] == j_code[j, 0]:
                    held = t_lvl[k]
                    break
        req_level = j_num[j, 0]
        comparable = required and held > 0 and not np.isnan(req_level)
        out[p, f] = 1.0 if required else 0.0
        out[p, f + 1] = (0.0 if np.isnan(held) else 1.0) if required else nan
        out[p, f + 2] = req_level - held if comparable else nan
        # Level 1 is the highest (一级/高级技师): a level number at or below the requirement's meets it.
        if required and not np.isnan(req_level):
            out[p, f + 3] = 0.0 if np.isnan(held) else ((1.0 if req_level >= held else 0.0) if comparable else nan)
        else:
            out[p, f + 3] = nan
        out[p, f + 4] = t_num[t, 0] - j_num[j, 1]
        # skills and titles: overlap and Jaccard of sets, NaN where either is empty
        for which in range(2):  # talent set 1, 2 (skills, title bigrams) against job set 0, 1: sorted distinct ids
            a, a_end, b, b_end = t_off[t, 1 + which], t_off[t, 2 + which], j_off[j, which], j_off[j, 1 + which]
            size_t, size_j, common = a_end - a, b_end - b, 0
            while a < a_end and b < b_end:
                if t_val[a] == j_val[b]:
                    common += 1
                    a += 1
                    b += 1
                elif t_val[a] < j_val[b]:
                    a += 1
                else:
                    b += 1
            known = size_t > 0 and size_j > 0
            jaccard = common / (size_t + size_j - common) if known else nan
            if which == 0:
                out[p, f + 5] = common if known else nan
                out[p, f + 6] = jaccard
            else:
                out[p, f + 7] = jaccard
        # occupation codes: leading segments shared (the prefixes' ids agree), NaN where either is missing
        t0, t1, j0, j1 = t_off[t, 4], t_off[t, 5], j_off[j, 2], j_off[j, 3]
        if t1 > t0 and j1 > j0:
            shared = 0
            while t0 + shared < t1 and j0 + shared < j1 and t_val[t0 + shared] == j_val[j0 + shared]:
                shared += 1
            out[p, f + 8] = shared
        else:
            out[p, f + 8] = nan
        # places: hometown against the job's county, city, province
        # (an id of 0 is a missing code, never equal to a present one; either province unknown: NaN, since an
        # unresolved place is not a different place)
        if t_code[t, 0] == 0 or j_code[j, 1] == 0:
            out[p, f + 9] = nan
        elif t_code[t, 2] != 0 and t_code[t, 2] == j_code[j, 3]:
            out[p, f + 9] = 3.0
        elif t_code[t, 1] != 0 and t_code[t, 1] == j_code[j, 2]:
            out[p, f + 9] = 2.0
        elif t_code[t, 0] == j_code[j, 1]:
            out[p, f + 9] = 1.0
        else:
            out[p, f + 9] = 0.0
        out[p, f + 10] = t_num[t, 4]
        city = j_code[j, 2]
        if t_off[t, 4] > t_off[t, 3] and city != 0:
            inside = 0.0
            for k in range(t_off[t, 3], t_off[t, 4]):
                if t_val[k] == city:
                    inside = 1.0
                    break
            out[p, f + 11] = inside
        else:
            out[p, f + 11] = nan
        for column, (mine, theirs) in enumerate(((t_code[t, 3], city), (t_code[t, 4], j_code[j, 4]),
                                                  (t_code[t, 5], j_code[j, 5]))):
            # 1.0 equal, 0.0 different, NaN when either code is missing
            out[p, f + 12 + column] = nan if mine == 0 or theirs == 0 else (1.0 if mine == theirs else 0.0)
        # requirements
        out[p, f + 15] = t_num[t, 1] - j_num[j, 2]
        out[p, f + 16] = t_num[t, 2] - j_num[j, 3]
        expected, offered = t_num[t, 3], j_num[j, 4]
        out[p, f + 17] = (expected - offered) / offered if offered > 0 else nan
        out[p, f + 18] = (1.0 if expected <= offered else 0.0) if not (np.isnan(expected) or np.isnan(offered)) else nan
        out[p, f + 19] = j_num[j, 5]
        out[p, f + 20] = j_num[j, 6]
        out[p, f + 21] = j_num[j, 7]
        out[p, f + 22] = t_num[t, 6]
        out[p, f + 23] = t_num[t, 5]


@cache
def _compiled():
    """:func:`_pair_features` compiled by numba on first use (cached beside this file)."""
    from numba import njit

    return njit(cache=True, nogil=True)(_pair_features)


def warm_up() -> None:
    """Compile (or load the cached compilation of) the pair features now rather than on the first query."""
    def empty(layout: Layout) -> EncodedProfiles:
        return EncodedProfiles(np.zeros((1, len(layout.numbers))), np.zeros((1, len(layout.codes)), dtype=np.int64),
                               np.zeros((1, len(layout.sets) + 1), dtype=np.int64), np.zeros(0, dtype=np.int64),
                               np.zeros(0))

    one = np.zeros(1, dtype=np.int64)
    feature_matrix(empty(TALENT_LAYOUT), one, empty(JOB_LAYOUT), one, {})
