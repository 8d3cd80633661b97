"""Plain-Chinese reasons for a match, built from its features and the two profiles.

Reasons state facts the talent and staff can check ("持有焊工三级（高级工）证书，满足岗位要求的四级");
where data is missing the reason says so instead of implying a match.
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from matcher.catalogs.regions import region_by_code
from matcher.rank.profiles import Profiles

LEVEL_NAMES = {1: "一级（高级技师）", 2: "二级（技师）", 3: "三级（高级工）", 4: "四级（中级工）", 5: "五级（初级工）"}
LEVEL_SHORT = {1: "一级", 2: "二级", 3: "三级", 4: "四级", 5: "五级"}
EDUCATION_NAMES = {1: "初中及以下", 2: "高中/中专", 3: "大专", 4: "本科", 5: "硕士", 6: "博士"}
HOMETOWN_SCOPE = {3: "同县", 2: "同市", 1: "同省"}
REASON_FEATURES = ("cert_required", "cert_held", "cert_meets_level", "occupation_match", "skill_overlap",
                   "industry_same_key", "hometown_level", "willing_to_return", "job_city_in_intent", "education_gap",
                   "experience_gap", "urgency_stars")
"""The feature columns :func:`match_reasons` reads."""


def _known(value: object) -> bool:
    """False for None and NaN of any float type (feature rows are float32, profiles float64)."""
    return value is not None and not (isinstance(value, (float, np.floating)) and math.isnan(value))


def _region_name(*codes: object) -> str:
    names = []
    for code in codes:
        entry = region_by_code(code) if isinstance(code, str) else None
        if entry and entry.name not in names:
            names.append(entry.name)
    return "".join(names)


def certificate_reason(f: Mapping, talent: Mapping, job: Mapping) -> str | None:
    if not f["cert_required"]:
        return None
    name, req = job["req_cert_name"] or "相关", job["req_cert_level"]
    req_text = f"{LEVEL_SHORT[int(req)]}" if _known(req) else "（未注明等级）"
    if f["cert_held"] == 0:
        return f"岗位要求{name}证书{req_text if _known(req) else ''}，未登记该证书"
    held = talent["held_certs"].get(job["req_cert_key"], 0)
    if not held:
        return f"持有{name}证书（未注明等级），岗位要求{req_text}"
    if not _known(req):
        return f"持有{name}{LEVEL_NAMES[held]}证书，岗位未注明等级要求"
    verdict = "满足" if f["cert_meets_level"] == 1 else "低于"
    return f"持有{name}{LEVEL_NAMES[held]}证书，{verdict}岗位要求的{req_text}"


def hometown_reason(f: Mapping, talent: Mapping) -> str:
    if not _known(f["hometown_level"]):
        return "籍贯信息缺失，未计入家乡因素"
    level = int(f["hometown_level"])
    if level == 0:
        home = _region_name(talent["hometown_city_code"], talent["hometown_county_code"]) or "外省"
        return f"籍贯{home}，与岗位所在地不同"
    codes = {3: ("hometown_city_code", "hometown_county_code"), 2: ("hometown_city_code",),
             1: ("hometown_province_code",)}[level]
    text = f"籍贯{_region_name(*(talent[c] for c in codes))}，与岗位所在地{HOMETOWN_SCOPE[level]}"
    return text + ("，愿意返乡" if f["willing_to_return"] == 1 else "")


def salary_reason(talent: Mapping, job: Mapping) -> str:
    expected, low, high = talent["expected_salary_min"], job["salary_min"], job["salary_max"]
    if not _known(expected):
        return "未填写期望薪资"
    if not _known(low) and not _known(high):
        return f"期望月薪{int(expected)}元，岗位薪资面议"
    if _known(low) and _known(high) and low != high:
        offered = f"{int(low)}–{int(high)}元"
    else:
        offered = f"{int(high if _known(high) else low)}元"
    return f"期望月薪{int(expected)}元，岗位提供{offered}"


def requirement_reasons(f: Mapping, talent: Mapping, job: Mapping) -> list[str]:
    reasons = []
    if _known(f["education_gap"]):
        own, req = EDUCATION_NAMES[int(talent["education_rank"])], EDUCATION_NAMES[int(job["education_rank"])]
        reasons.append(f"学历{own}，{'满足' if f['education_gap'] >= 0 else '低于'}岗位{req}要求")
    elif not _known(talent["education_rank"]):
        reasons.append("学历信息缺失")
    if _known(f["experience_gap"]):
        years, need = talent["experience_years"], job["experience_min"]
        verdict = "满足" if f["experience_gap"] >= 0 else "少于"
        reasons.append(f"{years:g}年工作经验，{verdict}岗位要求的{need:g}年")
    return reasons


def match_reasons(f: Mapping, talent: Mapping, job: Mapping) -> list[str]:
    """Reasons for one pair, most decisive first. f: one row of build_features; talent/job: profile rows."""
    reasons = [r for r in (certificate_reason(f, talent, job),) if r]
    if f["occupation_match"] == 4:
        reasons.append("职业对口")
    if _known(f["skill_overlap"]) and f["skill_overlap"] > 0:
        common = sorted(talent["skills"] & job["skills"])[:5]
        reasons.append(f"技能匹配：{'、'.join(common)}")
    if f["industry_same_key"] == 1:
        reasons.append(f"同属{job['industry_key']}产业")
    reasons.append(hometown_reason(f, talent))
    if f["job_city_in_intent"] == 1:
        reasons.append(f"岗位所在的{_region_name(job['city_code'])}是意向工作城市")
    reasons.extend(requirement_reasons(f, talent, job))
    reasons.append(salary_reason(talent, job))
    if _known(f["urgency_stars"]) and f["urgency_stars"] >= 4:
        reasons.append(f"该岗位为{'★' * int(f['urgency_stars'])}急需紧缺岗位")
    return reasons


def top_contributions(values: np.ndarray, names: Sequence[str], top: int = 5) -> list[dict[str, float]]:
    """The ``top`` largest of one row's contributions by absolute value, as [{feature, contribution}]."""
    values = np.asarray(values, dtype=float)
    order = np.argsort(-np.abs(values), kind="stable")[:top]
    return [{"feature": str(names[i]), "contribution": round(float(values[i]), 4)} for i in order if values[i] != 0]


def reasons_for_pairs(features: pd.DataFrame, talents: Profiles, jobs: Profiles, talent_ids: Sequence[str],
                      job_ids: Sequence[str]) -> list[tuple[str, ...]]:
    """:func:`match_reasons` of many pairs (bulk runs): feature rows aligned with the two id sequences.

    Each talent's and job's profile row is materialised once, however many pairs it appears in; only
    the feature columns reasons read are converted to Python values.
    """
    talent_rows: dict[str, dict] = {}
    job_rows: dict[str, dict] = {}
    columns = {name: features[name].to_numpy(dtype=np.float64).tolist() for name in REASON_FEATURES}
    rows = [dict(zip(REASON_FEATURES, values, strict=True)) for values in zip(*columns.values(), strict=True)]
    out = []
    for f, talent_id, job_id in zip(rows, _plain_ids(talent_ids), _plain_ids(job_ids), strict=True):
        talent = talent_rows.get(talent_id)
        if talent is None:
            talent = talent_rows[talent_id] = talents.row(talent_id)
        job = job_rows.get(job_id)
        if job is None:
            job = job_rows[job_id] = jobs.row(job_id)
        out.append(tuple(match_reasons(f, talent, job)))
    return out


def _plain_ids(ids: Sequence[str]) -> Sequence[str]:
    return ids.to_numpy(dtype=object) if isinstance(ids, pd.Series) else ids
