"""The wording of a match's plain-Chinese reasons (each builder turns a few values into one sentence) and the
Chinese labels of contributions; matcher.rank.reasons applies the builders to the shown pairs.

Reasons state facts the talent and staff can check ("持有焊工三级（高级工）证书，满足岗位要求的四级");
where data is missing the reason says so instead of implying a match.
"""
from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from matcher.catalogs.regions import region_by_code
from matcher.rank.fit_columns import HeldQualification

LEVEL_NAMES = {1: "一级（高级技师）", 2: "二级（技师）", 3: "三级（高级工）", 4: "四级（中级工）", 5: "五级（初级工）"}
LEVEL_SHORT = {1: "一级", 2: "二级", 3: "三级", 4: "四级", 5: "五级"}
EDUCATION_NAMES = {1: "初中及以下", 2: "高中/中专", 3: "大专", 4: "本科", 5: "硕士", 6: "博士"}
HOMETOWN_SCOPE = {3: "同县", 2: "同市", 1: "同省"}
OCCUPATION_REASONS = {4: "职业对口", 3: "职业相近（同一职业小类）"}
"""occupation_match (shared 大典 code segments) → its reason; fewer shared segments say nothing."""
REASON_FEATURES = ("cert_required", "cert_held", "cert_meets_level", "occupation_match", "major_fit",
                   "qualification_fit", "skill_overlap",
                   "industry_same_key", "hometown_level", "willing_to_return", "job_city_in_intent", "education_gap",
                   "experience_gap", "urgency_stars")
"""The feature columns the reasons read (matcher.rank.reasons)."""
TALENT_REASON_COLUMNS = ("held_certs", "skills", "hometown_province_code", "hometown_city_code", "hometown_county_code",
                         "education_rank", "experience_years", "expected_salary_min", "major_name", "qualifications")
"""The talent profile columns the reasons read."""
JOB_REASON_COLUMNS = ("req_cert_key", "req_cert_name", "req_cert_level", "skills", "industry_key", "city_code",
                      "education_rank", "experience_min", "salary_min", "salary_max", "req_qual_key", "req_qual_rank",
                      "req_qual_specialities", "req_cert_graded")
"""The job profile columns the reasons read."""


def _known(value: object) -> bool:
    """False for None and NaN of any float type (feature rows are float32, profiles float64)."""
    return value is not None and value == value  # NaN is the one value unequal to itself


def _scalar(value: object) -> object:
    """NaN as None, so cache keys built from values compare equal (NaN never equals itself)."""
    return value if value == value else None


@lru_cache(maxsize=1 << 14)
def _region_name(*codes: object) -> str:
    names = []
    for code in codes:
        entry = region_by_code(code) if isinstance(code, str) else None
        if entry and entry.name not in names:
            names.append(entry.name)
    return "".join(names)


@lru_cache(maxsize=1 << 14)
def _certificate_text(not_held: bool, meets: bool, name: str | None, req: float | None, held: int) -> str:
    name = name or "相关"
    req_text = f"{LEVEL_SHORT[int(req)]}" if req is not None else "（未注明等级）"
    if not_held:
        return f"岗位要求{name}证书{req_text if req is not None else ''}，未登记该证书"
    if not held:
        return f"持有{name}证书（未注明等级），岗位要求{req_text}"
    if req is None:
        return f"持有{name}{LEVEL_NAMES[held]}证书，岗位未注明等级要求"
    return f"持有{name}{LEVEL_NAMES[held]}证书，{'满足' if meets else '低于'}岗位要求的{req_text}"


@lru_cache(maxsize=1 << 12)
def _major_text(name: str | None) -> str | None:
    """Said only when the job's code lies under an occupation the major leads to (major_fit 1)."""
    return f"专业对口：{name}" if name else None


@lru_cache(maxsize=1 << 14)
def _qualification_text(held: tuple[HeldQualification, ...], key: str | None, rank: float | None,
                        specialities: frozenset[str]) -> str | None:
    """The held qualification that meets the job's (qualification_fit 1): grade at or above, every speciality."""
    for q in held:
        if q.key == key and (rank is None or q.rank >= rank) and specialities <= q.specialities:
            return f"持有{q.text}，满足岗位要求"
    return None


HOMETOWN_COLUMNS = ("hometown_province_code", "hometown_city_code", "hometown_county_code")


@lru_cache(maxsize=1 << 16)
def _hometown_text(level: float | None, willing: bool, province: str | None, city: str | None,
                   county: str | None) -> str:
    if level is None:  # either side's place unknown (missing or not resolved): never said to differ
        hometown = _region_name(province, city, county)
        if hometown:
            return f"籍贯{hometown}，岗位所在地未能识别，未计入家乡因素"
        return "籍贯未填写或未能识别，未计入家乡因素"
    if int(level) == 0:
        return f"籍贯{_region_name(city, county) or _region_name(province)}，与岗位所在地不同"
    codes = {3: (city, county), 2: (city,), 1: (province,)}[int(level)]
    text = f"籍贯{_region_name(*codes)}，与岗位所在地{HOMETOWN_SCOPE[int(level)]}"
    return text + ("，愿意返乡" if willing else "")


@lru_cache(maxsize=1 << 16)
def _salary_text(expected: float | None, low: float | None, high: float | None) -> str:
    if expected is None:
        return "未填写期望薪资"
    if low is None and high is None:
        return f"期望月薪{int(expected)}元，岗位薪资面议"
    if low is not None and high is not None and low != high:
        offered = f"{int(low)}–{int(high)}元"
    else:
        offered = f"{int(high if high is not None else low)}元"
    best = high if high is not None else low
    if best >= expected:
        verdict = "符合期望"
    else:  # the job's best offer, below what the person asks: say by how much
        verdict = f"低于期望约{max(1, round(100 * (expected - best) / expected))}%"
    return f"期望月薪{int(expected)}元，岗位提供{offered}，{verdict}"


@lru_cache(maxsize=1 << 12)
def _education_text(education_gap: float | None, own: float | None, required: float | None) -> str | None:
    if education_gap is not None:
        verdict = "满足" if education_gap >= 0 else "低于"
        return f"学历{EDUCATION_NAMES[int(own)]}，{verdict}岗位{EDUCATION_NAMES[int(required)]}要求"
    return "学历信息缺失" if own is None else None


@lru_cache(maxsize=1 << 14)
def _experience_text(experience_gap: float | None, years: float | None, need: float | None) -> str | None:
    if experience_gap is None:
        return None
    verdict = "满足" if experience_gap >= 0 else "少于"
    return f"{years:g}年工作经验，{verdict}岗位要求的{need:g}年"


def _skills_text(talent_skills: frozenset[str], job_skills: frozenset[str]) -> str:
    common = sorted(talent_skills & job_skills)[:5]
    return f"技能匹配：{'、'.join(common)}"


def _industry_text(industry_key: object) -> str:
    return f"同属{industry_key}产业"


def _intent_city_text(city_code: object) -> str:
    return f"岗位所在的{_region_name(city_code)}是意向工作城市"


def _urgency_text(stars: float) -> str:
    return f"该岗位为{'★' * int(stars)}急需紧缺岗位"


FEATURE_LABELS: dict[str, str] = {
    "dense_score": "语义相近", "dense_rank": "语义检索名次", "sparse_score": "关键词相符",
    "sparse_rank": "关键词检索名次", "fused_score": "综合检索", "retrieval_fit": "工作内容相符",
    "cert_required": "岗位要求证书", "cert_held": "持有所需证书", "cert_level_gap": "证书等级差",
    "cert_meets_level": "证书等级达标", "cert_meets": "证书符合要求",
    "cert_levels_above": "证书等级高于要求", "cert_below": "证书等级偏低",
    "cert_missing": "缺少所需证书", "title_rank_gap": "职称差距", "skill_overlap": "技能相同数",
    "skill_jaccard": "技能相符", "title_similarity": "职位名称相近", "occupation_match": "职业对口",
    "major_fit": "专业对口", "qualification_fit": "资格符合要求",
    "hometown_level": "家乡与岗位所在地", "willing_to_return": "愿意返乡", "job_city_in_intent": "意向城市",
    "current_city_same": "现居地相同", "industry_same_key": "行业相同", "industry_same_section": "行业门类相同",
    "education_gap": "学历", "education_short": "学历低于要求", "experience_gap": "工作年限",
    "experience_short": "年限不足", "salary_gap_ratio": "薪资差距", "salary_within": "薪资在范围内",
    "salary_over": "期望薪资高于岗位", "urgency_stars": "岗位紧缺程度", "urgency_index": "紧缺指数",
    "headcount": "需求人数", "talent_category": "人才类别", "age": "年龄",
}
"""The Chinese name shown for each feature and rule term (contributions carry it as ``label``)."""


def top_contributions(values: np.ndarray, names: Sequence[str], top: int = 5) -> list[dict[str, float]]:
    """The ``top`` largest of one row's contributions by absolute value, as [{feature, label, contribution}]."""
    return top_contributions_by_row(np.asarray(values, dtype=float).reshape(1, -1), names, top)[0]


def top_contributions_by_row(matrix: np.ndarray, names: Sequence[str], top: int = 5) -> list[list[dict[str, float]]]:
    """:func:`top_contributions` of each row of a (rows, features) matrix, with one sort for all of them."""
    matrix = np.asarray(matrix, dtype=float)
    order = np.argsort(-np.abs(matrix), axis=1, kind="stable")[:, :top]
    picked = np.take_along_axis(matrix, order, axis=1).tolist()
    labels = [FEATURE_LABELS.get(str(name), str(name)) for name in names]
    return [[{"feature": str(names[i]), "label": labels[i], "contribution": round(v, 4)}
             for i, v in zip(row, values, strict=True) if v != 0]
            for row, values in zip(order.tolist(), picked, strict=True)]
