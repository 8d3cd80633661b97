"""How the matcher reads a value as someone types it, in plain Chinese: 8000-12000元/月 → 每月 8000–12000 元.

The reading comes from ``GET /catalogs/normalize/{kind}`` (the normalisers imports use); this module only
words it for people.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

UNREAD = "没有认出，请换个写法"
CERTIFICATE_KINDS = {"qualification": "职业资格", "title": "职称", "special_operation": "特种作业",
                     "skill_level": "职业技能等级"}
SKILL_LEVELS = {5: "五级/初级工", 4: "四级/中级工", 3: "三级/高级工", 2: "二级/技师", 1: "一级/高级技师"}
"""The national 职业技能等级 scale: level 1 is the highest."""
READABLE_KINDS = ("salary", "certificate", "region", "education", "experience", "skills")


def reading(kind: str, result: Mapping[str, Any]) -> str:
    words = {"salary": _salary, "certificate": _certificates, "region": _region, "education": _education,
             "experience": _experience, "skills": _skills}[kind](result)
    return words or UNREAD


def _salary(result: Mapping[str, Any]) -> str:
    low, high = result.get("min"), result.get("max")
    if low and high and low != high:
        return f"每月 {low}–{high} 元"
    if low:
        return f"每月 {low} 元" if high == low else f"每月 {low} 元起"
    return f"每月最多 {high} 元" if high else ""


def _certificates(result: Mapping[str, Any]) -> str:
    parts = []
    for found in result.get("certificates") or []:
        kind = CERTIFICATE_KINDS.get(found.get("kind"), "证书")
        level = SKILL_LEVELS.get(found.get("level")) if found.get("kind") == "skill_level" else None
        parts.append(f"{found.get('name')}（{kind}{'，' + level if level else ''}）")
    return "；".join(parts)


def _region(result: Mapping[str, Any]) -> str:
    return "".join(result.get(part) or "" for part in ("province", "city", "county"))


def _education(result: Mapping[str, Any]) -> str:
    return f"{result['name']}及以上" if result.get("name") else "不限学历"


def _experience(result: Mapping[str, Any]) -> str:
    low, high = result.get("min"), result.get("max")
    if low is not None and high is not None:
        return f"{low}–{high} 年"
    if low is not None:
        return f"{low} 年以上"
    return f"最多 {high} 年" if high is not None else "不限经验"


def _skills(result: Mapping[str, Any]) -> str:
    return "、".join(result.get("skills") or [])
