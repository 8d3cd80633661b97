"""Match features for (talent, job) pairs: FEATURE_COLUMNS is the single ordered list.

build_features is pure and vectorised over pairs; per-entity attributes come from
matcher.rank.profiles. Missing data gives NaN (LightGBM routes it explicitly), never a match.
Gender is deliberately absent: it is not an input to any feature.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

RETRIEVAL_COLUMNS = ("dense_score", "dense_rank", "sparse_score", "sparse_rank", "fused_score")

FEATURE_COLUMNS: tuple[str, ...] = (
    *RETRIEVAL_COLUMNS,
    "cert_required", "cert_held", "cert_level_gap", "cert_meets_level", "title_rank_gap",
    "skill_overlap", "skill_jaccard", "occupation_match",
    "hometown_level", "willing_to_return", "job_city_in_intent", "current_city_same",
    "industry_same_key", "industry_same_section",
    "education_gap", "experience_gap", "salary_gap_ratio", "salary_within",
    "urgency_stars", "urgency_index", "headcount", "talent_category", "age",
)
CATEGORICAL_FEATURES = ("talent_category",)


def build_features(pairs: pd.DataFrame, talents: pd.DataFrame, jobs: pd.DataFrame) -> pd.DataFrame:
    """(n pairs) -> (n, len(FEATURE_COLUMNS)) float32 frame, same row order as ``pairs``.

    pairs: talent_id, job_id and optionally the retrieval columns (absent -> NaN).
    talents / jobs: outputs of talent_profiles / job_profiles, indexed by id.
    """
    t = talents.reindex(pairs["talent_id"].to_numpy())
    j = jobs.reindex(pairs["job_id"].to_numpy())
    out = pd.DataFrame(index=pairs.index)
    for col in RETRIEVAL_COLUMNS:
        out[col] = pairs[col].to_numpy(dtype=float) if col in pairs else np.nan
    _certificate_features(out, t, j)
    _skill_features(out, t, j)
    _place_features(out, t, j)
    _requirement_features(out, t, j)
    return out[list(FEATURE_COLUMNS)].astype(np.float32)


def _certificate_features(out: pd.DataFrame, t: pd.DataFrame, j: pd.DataFrame) -> None:
    keys = j["req_cert_key"].to_numpy()
    required = pd.notna(keys)
    held_levels = np.array([
        _held_level(h, k) for h, k in zip(t["held_certs"].to_numpy(), keys, strict=True)
    ], dtype=float)  # NaN: not held; 0: held without level; 1..5: level held
    out["cert_required"] = required.astype(float)
    out["cert_held"] = np.where(required, (~np.isnan(held_levels)).astype(float), np.nan)
    req_level = j["req_cert_level"].to_numpy(dtype=float)
    comparable = required & (held_levels > 0) & ~np.isnan(req_level)
    # Level 1 is the highest (一级/高级技师): a positive gap means above the requirement.
    out["cert_level_gap"] = np.where(comparable, req_level - held_levels, np.nan)
    meets = np.where(np.isnan(held_levels), 0.0, np.where(comparable, (req_level >= held_levels), np.nan))
    out["cert_meets_level"] = np.where(required & ~np.isnan(req_level), meets, np.nan)
    out["title_rank_gap"] = t["title_rank"].to_numpy(dtype=float) - j["req_title_rank"].to_numpy(dtype=float)


def _held_level(held: object, key: object) -> float:
    if not isinstance(held, dict) or not isinstance(key, str):
        return np.nan
    level = held.get(key)
    return np.nan if level is None else float(level)


def _skill_features(out: pd.DataFrame, t: pd.DataFrame, j: pd.DataFrame) -> None:
    overlap, jaccard = [], []
    for a, b in zip(t["skills"].to_numpy(), j["skills"].to_numpy(), strict=True):
        if not isinstance(a, frozenset) or not isinstance(b, frozenset) or not a or not b:
            overlap.append(np.nan)
            jaccard.append(np.nan)
            continue
        common = len(a & b)
        overlap.append(common)
        jaccard.append(common / len(a | b))
    out["skill_overlap"] = overlap
    out["skill_jaccard"] = jaccard
    out["occupation_match"] = _code_prefix_match(t["occupation_code"].to_numpy(), j["occupation_code"].to_numpy())


def _code_prefix_match(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Number of leading segments shared by two occupation codes like 6-04-01-01 (0..4), NaN if missing."""
    result = np.full(len(a), np.nan)
    for i, (x, y) in enumerate(zip(a, b, strict=True)):
        if isinstance(x, str) and isinstance(y, str) and x and y:
            shared = 0
            for sx, sy in zip(x.split("-"), y.split("-"), strict=False):
                if sx != sy:
                    break
                shared += 1
            result[i] = shared
    return result


def _place_features(out: pd.DataFrame, t: pd.DataFrame, j: pd.DataFrame) -> None:
    county = _same(t["hometown_county_code"], j["county_code"])
    city = _same(t["hometown_city_code"], j["city_code"])
    province = _same(t["hometown_province_code"], j["province_code"])
    known = t["hometown_province_code"].notna().to_numpy()
    level = np.where(county == 1, 3, np.where(city == 1, 2, np.where(province == 1, 1, 0))).astype(float)
    out["hometown_level"] = np.where(known, level, np.nan)
    out["willing_to_return"] = t["willing_to_return"].to_numpy(dtype=float)
    intents = t["intent_city_codes"].to_numpy()
    cities = j["city_code"].to_numpy()
    out["job_city_in_intent"] = [
        (float(c in s) if s else np.nan) if isinstance(s, frozenset) and isinstance(c, str) else np.nan
        for s, c in zip(intents, cities, strict=True)
    ]
    out["current_city_same"] = _same(t["current_city_code"], j["city_code"])
    out["industry_same_key"] = _same(t["industry_key"], j["industry_key"])
    out["industry_same_section"] = _same(t["industry_section"], j["industry_section"])


def _same(a: pd.Series, b: pd.Series) -> np.ndarray:
    """1.0 equal, 0.0 different, NaN when either side is missing."""
    av, bv = a.to_numpy(dtype=object), b.to_numpy(dtype=object)
    known = pd.notna(av) & pd.notna(bv)
    return np.where(known, (av == bv).astype(float), np.nan)


def _requirement_features(out: pd.DataFrame, t: pd.DataFrame, j: pd.DataFrame) -> None:
    out["education_gap"] = t["education_rank"].to_numpy(dtype=float) - j["education_rank"].to_numpy(dtype=float)
    out["experience_gap"] = (t["experience_years"].to_numpy(dtype=float)
                             - j["experience_min"].to_numpy(dtype=float))
    expected = t["expected_salary_min"].to_numpy(dtype=float)
    offered_max = j["salary_max"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["salary_gap_ratio"] = np.where(offered_max > 0, (expected - offered_max) / offered_max, np.nan)
    known = ~np.isnan(expected) & ~np.isnan(offered_max)
    out["salary_within"] = np.where(known, (expected <= offered_max).astype(float), np.nan)
    for col in ("urgency_stars", "urgency_index", "headcount"):
        out[col] = j[col].to_numpy(dtype=float)
    out["talent_category"] = t["talent_category"].to_numpy(dtype=float)
    out["age"] = t["age"].to_numpy(dtype=float)
