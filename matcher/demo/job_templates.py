"""Occupation templates of the demo world, loaded from job_templates.csv beside this module.

Each row is one kind of post in one key industry, with a real level-4 occupation code from
catalogs/occupations.csv (职业分类大典 2022). Pay is a rough monthly median in Henan, in yuan; education
ranks are 1 初中及以下, 2 高中/中专/技校, 3 大专, 4 本科, 5 硕士, 6 博士; list cells are '|'-separated.
Sayings are colloquial 自我评价 openers where ``{y}`` stands for years of experience; several paraphrase
the job ("烧了{y}年电焊") rather than naming it.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from matcher.demo.certificates import FAMILY_INDEX

TEMPLATE_FILE = Path(__file__).with_name("job_templates.csv")
KEY_INDUSTRIES: tuple[str, ...] = (
    "新一代信息技术", "电子信息", "高端/智能制造", "汽车及零配件", "新材料", "现代食品", "生物医药",
    "节能环保", "家居与服装", "现代金融", "现代物流", "现代农业", "文化创意", "其他服务",
)
TIERS: tuple[str, ...] = ("worker", "engineer", "professional", "manager", "agri", "service", "research")
_OCCUPATION_CODE = re.compile(r"\d-\d\d-\d\d-\d\d")


@dataclass(frozen=True)
class JobTemplate:
    """One kind of post; jobs and talents are both drawn from these."""

    industry: str
    title: str
    occupation_code: str
    tier: str
    certificate: str | None
    """Main certificate family key (see certificates.FAMILIES) or None."""
    education_rank: int
    experience_min: int
    monthly_pay: int
    male_share: float
    skills: tuple[str, ...]
    sayings: tuple[str, ...]
    majors: tuple[str, ...]
    extra_certificate: str | None
    """A second certificate family talents of this kind often hold (e.g. 焊接与热切割作业 for welders)."""


def _parse(row: dict[str, str], line: int) -> JobTemplate:
    def fail(column: str, expected: str) -> ValueError:
        where = f"{TEMPLATE_FILE.name} line {line}, column {column}"
        return ValueError(f"{where}: {row[column]!r}, expected {expected}")

    code_ok = bool(_OCCUPATION_CODE.fullmatch(row["occupation_code"]))
    checks = (("industry", row["industry"] in KEY_INDUSTRIES, "one of the 14 key industries"),
              ("tier", row["tier"] in TIERS, f"one of {TIERS}"),
              ("occupation_code", code_ok, "a code like 6-18-02-04"),
              ("certificate", row["certificate"] in ("", *FAMILY_INDEX), "empty or a certificate family key"),
              ("extra_certificate", row["extra_certificate"] in ("", *FAMILY_INDEX), "empty or a family key"),
              ("education_rank", row["education_rank"] in ("1", "2", "3", "4", "5", "6"), "a rank 1..6"))
    for column, ok, expected in checks:
        if not ok:
            raise fail(column, expected)
    return JobTemplate(
        industry=row["industry"], title=row["title"], occupation_code=row["occupation_code"],
        tier=row["tier"],
        certificate=row["certificate"] or None, education_rank=int(row["education_rank"]),
        experience_min=int(row["experience_min"]), monthly_pay=int(row["monthly_pay"]),
        male_share=float(row["male_share"]), skills=tuple(row["skills"].split("|")),
        sayings=tuple(row["sayings"].split("|")), majors=tuple(row["majors"].split("|")),
        extra_certificate=row["extra_certificate"] or None,
    )


def load_templates(path: Path = TEMPLATE_FILE) -> tuple[JobTemplate, ...]:
    """Every template in the file, in file order; raises ValueError naming the line and column on bad data."""
    with path.open(encoding="utf-8", newline="") as handle:
        return tuple(_parse(row, line) for line, row in enumerate(csv.DictReader(handle), start=2))


TEMPLATES: tuple[JobTemplate, ...] = load_templates()
TEMPLATE_TIER: tuple[int, ...] = tuple(TIERS.index(t.tier) for t in TEMPLATES)
TEMPLATE_INDUSTRY: tuple[int, ...] = tuple(KEY_INDUSTRIES.index(t.industry) for t in TEMPLATES)
