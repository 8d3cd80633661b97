"""Compact per-talent and per-job attributes that pair features are computed from.

Prepared once per entity (not per pair) so features for millions of pairs stay cheap.
Input frames carry the canonical normalised columns of matcher.store (see CONTRACTS in README);
certificate lists are lists of Certificate dicts (kind, name, occupation_code, level, title_rank).
"""
from __future__ import annotations

import json
from collections.abc import Iterable

import numpy as np
import pandas as pd

TITLE_RANKS = {"初级": 1, "中级": 2, "副高级": 3, "正高级": 4}
TALENT_CATEGORIES = ("高层次人才", "专业技术人才", "高技能人才", "企业经营管理人才", "农村实用人才",
                     "社会工作人才", "名校学子")
NO_LEVEL = 0
"""Stored for a certificate held without a stated level: held, but its level cannot be compared."""

CERT_KINDS_REQUIRED = ("skill_level", "special_operation", "qualification")


def _as_list(value: object) -> list:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return []
    if isinstance(value, str):
        return json.loads(value) if value.strip() else []
    return list(value)  # type: ignore[call-overload]


def certificate_key(cert: dict) -> str:
    """Certificates match on occupation code when known, else on canonical name."""
    return cert.get("occupation_code") or cert.get("name") or ""


def held_certificates(certs: Iterable[dict]) -> dict[str, int]:
    """key -> best (lowest number = highest) level held; NO_LEVEL when held without a level."""
    held: dict[str, int] = {}
    for cert in certs:
        if cert.get("kind") == "title":
            continue
        key, level = certificate_key(cert), cert.get("level") or NO_LEVEL
        if not key:
            continue
        best = held.get(key)
        if best is None or best == NO_LEVEL or (level != NO_LEVEL and level < best):
            held[key] = level
    return held


def best_title_rank(certs: Iterable[dict]) -> float:
    ranks = [TITLE_RANKS[c["title_rank"]] for c in certs if c.get("title_rank") in TITLE_RANKS]
    return float(max(ranks)) if ranks else np.nan


def required_certificate(certs: list[dict]) -> tuple[str | None, float, str | None]:
    """The job's first non-title certificate requirement: (key, level or NaN, canonical name)."""
    for cert in certs:
        if cert.get("kind") in CERT_KINDS_REQUIRED and certificate_key(cert):
            level = cert.get("level")
            return certificate_key(cert), float(level) if level else np.nan, cert.get("name")
    return None, np.nan, None


def talent_profiles(talents: pd.DataFrame, reference_year: int) -> pd.DataFrame:
    """Per-talent attributes indexed by talent_id. reference_year fixes age so scores are reproducible."""
    certs = talents["certificates_norm"].map(_as_list)
    out = pd.DataFrame(index=pd.Index(talents["talent_id"], name="talent_id"))
    out["held_certs"] = certs.map(held_certificates).to_numpy()
    out["title_rank"] = certs.map(best_title_rank).to_numpy()
    out["skills"] = talents["skills_norm"].map(lambda v: frozenset(_as_list(v))).to_numpy()
    out["intent_city_codes"] = talents["intent_city_codes"].map(lambda v: frozenset(_as_list(v))).to_numpy()
    for col in ("hometown_province_code", "hometown_city_code", "hometown_county_code", "current_city_code",
                "industry_key", "industry_section", "occupation_code"):
        out[col] = talents[col].to_numpy()
    out["education_rank"] = pd.to_numeric(talents["education_rank"], errors="coerce").to_numpy()
    out["experience_years"] = pd.to_numeric(talents["experience_years"], errors="coerce").to_numpy()
    out["expected_salary_min"] = pd.to_numeric(talents["expected_salary_min"], errors="coerce").to_numpy()
    out["willing_to_return"] = talents["willing_to_return"].map(_yes_no).to_numpy()
    birth = pd.to_numeric(talents["birth_year"], errors="coerce").to_numpy()
    out["age"] = reference_year - birth
    out["talent_category"] = talents["category"].map(_category_code).to_numpy()
    return out


def job_profiles(jobs: pd.DataFrame) -> pd.DataFrame:
    """Per-job attributes indexed by job_id."""
    certs = jobs["certificates_norm"].map(_as_list)
    required = certs.map(required_certificate)
    out = pd.DataFrame(index=pd.Index(jobs["job_id"], name="job_id"))
    out["req_cert_key"] = required.map(lambda r: r[0]).to_numpy()
    out["req_cert_level"] = required.map(lambda r: r[1]).to_numpy()
    out["req_cert_name"] = required.map(lambda r: r[2]).to_numpy()
    out["req_title_rank"] = certs.map(best_title_rank).to_numpy()
    out["skills"] = jobs["skills_norm"].map(lambda v: frozenset(_as_list(v))).to_numpy()
    for col in ("province_code", "city_code", "county_code", "industry_key", "industry_section", "occupation_code"):
        out[col] = jobs[col].to_numpy()
    for col in ("education_rank", "experience_min", "salary_min", "salary_max", "urgency_stars",
                "urgency_index", "headcount"):
        out[col] = pd.to_numeric(jobs[col], errors="coerce").to_numpy()
    return out


def _yes_no(value: object) -> float:
    if isinstance(value, bool):
        return float(value)
    text = str(value).strip().lower() if value is not None else ""
    if text in {"是", "愿意", "true", "1", "yes", "y"}:
        return 1.0
    if text in {"否", "不愿意", "false", "0", "no", "n"}:
        return 0.0
    return np.nan


def _category_code(value: object) -> float:
    return float(TALENT_CATEGORIES.index(value)) if value in TALENT_CATEGORIES else np.nan
