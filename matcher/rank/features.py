"""Match features for (talent, job) pairs: FEATURE_COLUMNS is the single ordered list.

build_features is pure and vectorised over pairs; per-entity attributes come from
matcher.rank.profiles. Missing data gives NaN (LightGBM routes it explicitly), never a match.
Gender is deliberately absent: it is not an input to any feature.
"""
from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

import numpy as np
import pandas as pd

from matcher.rank.profiles import FACTORIZE_FROM, Profiles

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

Columns = dict[str, np.ndarray]


def build_features(pairs: pd.DataFrame, talents: Profiles, jobs: Profiles) -> pd.DataFrame:
    """(n pairs) -> (n, len(FEATURE_COLUMNS)) float32 frame, same row order and index as ``pairs``.

    pairs: talent_id, job_id and optionally the retrieval columns (absent -> NaN).
    """
    retrieval = {col: pairs[col].to_numpy(dtype=float) for col in RETRIEVAL_COLUMNS if col in pairs}
    matrix = feature_matrix(talents.gather(pairs["talent_id"]), jobs.gather(pairs["job_id"]), retrieval, len(pairs))
    return pd.DataFrame(matrix, columns=list(FEATURE_COLUMNS), index=pairs.index)


def feature_matrix(t: Columns, j: Columns, retrieval: Mapping[str, np.ndarray], n: int) -> np.ndarray:
    """(n, len(FEATURE_COLUMNS)) float32 from aligned profile columns (``Profiles.gather``) of n pairs.

    The serving path calls this directly: a query's few hundred pairs never pass through pandas.
    ``retrieval`` holds any of RETRIEVAL_COLUMNS (absent -> NaN).
    """
    if not n:
        return np.zeros((0, len(FEATURE_COLUMNS)), dtype=np.float32)
    out: Columns = {}
    for col in RETRIEVAL_COLUMNS:
        out[col] = np.asarray(retrieval[col], dtype=float) if col in retrieval else np.full(n, np.nan)
    _certificate_features(out, t, j)
    _skill_features(out, t, j)
    _place_features(out, t, j)
    _requirement_features(out, t, j)
    matrix = np.empty((n, len(FEATURE_COLUMNS)), dtype=np.float32)
    for i, col in enumerate(FEATURE_COLUMNS):
        matrix[:, i] = out[col]
    return matrix


def feature_values(features: pd.DataFrame | np.ndarray) -> np.ndarray:
    """FEATURE_COLUMNS as a float32 matrix, from a frame (any column order) or a matrix already in that order."""
    if isinstance(features, np.ndarray):
        return features
    return features[list(FEATURE_COLUMNS)].to_numpy(dtype=np.float32)


def _certificate_features(out: Columns, t: Columns, j: Columns) -> None:
    keys = j["req_cert_key"]
    required = np.array([isinstance(k, str) for k in keys], dtype=bool)
    # NaN: not held; 0: held without a level; 1..5: the level held.
    held = np.array(list(map(dict.get, t["held_certs"], keys)), dtype=float)  # None (not held) -> NaN
    out["cert_required"] = required.astype(float)
    out["cert_held"] = np.where(required, (~np.isnan(held)).astype(float), np.nan)
    req_level = j["req_cert_level"]
    comparable = required & (held > 0) & ~np.isnan(req_level)
    # Level 1 is the highest (一级/高级技师): a positive gap means above the requirement.
    out["cert_level_gap"] = np.where(comparable, req_level - held, np.nan)
    meets = np.where(np.isnan(held), 0.0, np.where(comparable, (req_level >= held), np.nan))
    out["cert_meets_level"] = np.where(required & ~np.isnan(req_level), meets, np.nan)
    out["title_rank_gap"] = t["title_rank"] - j["req_title_rank"]


def _skill_features(out: Columns, t: Columns, j: Columns) -> None:
    out["skill_overlap"], out["skill_jaccard"] = _overlap_and_jaccard(t["skills"], j["skills"])
    out["title_similarity"] = _overlap_and_jaccard(t["title_bigrams"], j["title_bigrams"])[1]
    out["occupation_match"] = _code_prefix_match(t["occupation_code"], j["occupation_code"])


def _overlap_and_jaccard(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """|a ∩ b| and Jaccard of two aligned arrays of frozensets; NaN where either set is empty (missing).

    ``map`` over the unbound frozenset methods keeps the per-pair loop in C: 4-5x a Python loop.
    """
    common = np.fromiter(map(len, map(frozenset.intersection, a, b)), dtype=np.float64, count=len(a))
    size_a = np.fromiter(map(len, a), dtype=np.float64, count=len(a))
    size_b = np.fromiter(map(len, b), dtype=np.float64, count=len(b))
    known = (size_a > 0) & (size_b > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        jaccard = common / (size_a + size_b - common)
    return np.where(known, common, np.nan), np.where(known, jaccard, np.nan)


def _code_prefix_match(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Number of leading segments shared by two occupation codes like 6-04-01-01 (0..4), NaN if missing.

    Computed once per distinct (a, b) pair of codes: a few thousand among millions of pairs. A query's few
    hundred pairs look each pair up in a cache instead (factorising costs more than they do).
    """
    if len(a) <= FACTORIZE_FROM:
        return np.fromiter(map(_shared_segments, a, b), dtype=np.float64, count=len(a))
    codes_a, values_a = pd.factorize(a)  # -1 for a missing code
    codes_b, values_b = pd.factorize(b)
    width = len(values_b) + 1
    keys, inverse = np.unique((codes_a.astype(np.int64) + 1) * width + codes_b + 1, return_inverse=True)
    shared = np.array([_shared_segments(_code(values_a, k // width), _code(values_b, k % width)) for k in keys],
                      dtype=np.float64)
    return shared[inverse]


def _code(values: np.ndarray, shifted: int) -> object:
    return None if shifted == 0 else values[shifted - 1]


@lru_cache(maxsize=1 << 16)
def _shared_segments(x: object, y: object) -> float:
    if not (isinstance(x, str) and isinstance(y, str) and x and y):
        return np.nan
    shared = 0
    for sx, sy in zip(x.split("-"), y.split("-"), strict=False):
        if sx != sy:
            break
        shared += 1
    return float(shared)


def _place_features(out: Columns, t: Columns, j: Columns) -> None:
    county = _same(t["hometown_county_code"], j["county_code"])
    city = _same(t["hometown_city_code"], j["city_code"])
    province = _same(t["hometown_province_code"], j["province_code"])
    level = np.where(county == 1, 3, np.where(city == 1, 2, np.where(province == 1, 1, 0))).astype(float)
    out["hometown_level"] = np.where(_present(t["hometown_province_code"]), level, np.nan)
    out["willing_to_return"] = t["willing_to_return"]
    intents, cities = t["intent_city_codes"], j["city_code"]
    inside = np.fromiter(map(frozenset.__contains__, intents, cities), dtype=np.float64, count=len(cities))
    known = (np.fromiter(map(len, intents), dtype=np.int64, count=len(intents)) > 0) & _present(cities)
    out["job_city_in_intent"] = np.where(known, inside, np.nan)
    out["current_city_same"] = _same(t["current_city_code"], j["city_code"])
    out["industry_same_key"] = _same(t["industry_key"], j["industry_key"])
    out["industry_same_section"] = _same(t["industry_section"], j["industry_section"])


def _same(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """1.0 equal, 0.0 different, NaN when either side is missing."""
    known = _present(a) & _present(b)
    return np.where(known, (a == b).astype(float), np.nan)


def _present(values: np.ndarray) -> np.ndarray:
    """Not None, elementwise: profile text columns hold None for every missing value (see profiles._texts)."""
    return np.not_equal(values, None)


def _requirement_features(out: Columns, t: Columns, j: Columns) -> None:
    out["education_gap"] = t["education_rank"] - j["education_rank"]
    out["experience_gap"] = t["experience_years"] - j["experience_min"]
    expected, offered_max = t["expected_salary_min"], j["salary_max"]
    with np.errstate(divide="ignore", invalid="ignore"):
        out["salary_gap_ratio"] = np.where(offered_max > 0, (expected - offered_max) / offered_max, np.nan)
    known = ~np.isnan(expected) & ~np.isnan(offered_max)
    out["salary_within"] = np.where(known, (expected <= offered_max).astype(float), np.nan)
    for col in ("urgency_stars", "urgency_index", "headcount"):
        out[col] = j[col]
    out["talent_category"] = t["talent_category"]
    out["age"] = t["age"]
