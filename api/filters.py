"""Query filters shared by lists and matching: region, industry, education, certificate, workstation.

Values may be written as people write them (周口, 本科, 智能制造, 电工证) or as codes (411600, 4, C);
they are resolved with the same normalisers as imports, and an unresolvable value is a 422.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Query

from api.problems import Problem
from matcher.catalogs.industries import load_key_industries
from matcher.catalogs.regions import region_by_code
from matcher.normalize.certificate import normalize_certificates
from matcher.normalize.education import normalize_education
from matcher.normalize.industry import normalize_industry
from matcher.normalize.region import normalize_region
from matcher.normalize.text_policy import SHORT_TEXT_LIMIT, text_violation
from matcher.retrieve.filters import RetrievalFilters

_CODE = re.compile(r"\d{6}")
_SECTION = re.compile(r"[A-T]")
_RANK = re.compile(r"[0-9]+")
"""ASCII digits only: str.isdigit() also accepts ² and ٣, which int() cannot read."""
MAX_FILTER_VALUES = 50
"""Values one repeatable filter may list (regions, industries, workstations)."""


@dataclass(frozen=True)
class FilterParams:
    region_codes: tuple[str, ...] = ()
    industries: tuple[str, ...] = ()
    education_rank: int | None = None
    certificate: str | None = None
    workstations: tuple[str, ...] = ()
    willing_to_return: bool | None = None

    def for_talents(self) -> RetrievalFilters:
        """Talents at least as educated as asked."""
        return RetrievalFilters(region_codes=self.region_codes, industries=self.industries,
                                min_education_rank=self.education_rank, willing_to_return=self.willing_to_return,
                                workstations=self.workstations)

    def for_jobs(self) -> RetrievalFilters:
        """Jobs asking for no more education than given: the jobs a talent of that level qualifies for."""
        return RetrievalFilters(region_codes=self.region_codes, industries=self.industries,
                                max_education_rank=self.education_rank)


async def filter_params(  # async: in-memory look-ups only, so no thread-pool hop per request
    region: Annotated[list[str], Query(description="region name or GB/T 2260 code; repeat for several",
                                       max_length=MAX_FILTER_VALUES)] = [],  # noqa: B006
    industry: Annotated[list[str], Query(description="key industry, GB/T 4754 section letter or industry text",
                                         max_length=MAX_FILTER_VALUES)] = [],  # noqa: B006
    education: Annotated[str | None, Query(description="education name (本科) or rank 1..6",
                                           max_length=SHORT_TEXT_LIMIT)] = None,
    certificate: Annotated[str | None, Query(description="lists only: a certificate, e.g. 电工证",
                                             max_length=SHORT_TEXT_LIMIT)] = None,
    workstation: Annotated[list[str], Query(description="talents only: workstation id or name",
                                            max_length=MAX_FILTER_VALUES)] = [],  # noqa: B006
    willing_to_return: Annotated[bool | None, Query(description="talents only")] = None,
) -> FilterParams:
    errors = _policy_errors({"region": region, "industry": industry, "education": [education or ""],
                             "certificate": [certificate or ""], "workstation": workstation})
    if errors:
        raise Problem(422, "some filters cannot be used", slug="validation-error", errors=errors)
    params = FilterParams(
        region_codes=tuple(_resolved(errors, "region", region, _region_code)),
        industries=tuple(_resolved(errors, "industry", industry, _industry)),
        education_rank=next(iter(_resolved(errors, "education", [education] if education else [], _education)),
                            None),
        certificate=_certificate(certificate),
        workstations=tuple(w.strip() for w in workstation if w.strip()),
        willing_to_return=willing_to_return,
    )
    if errors:
        raise Problem(422, "some filters cannot be understood", slug="validation-error", errors=errors)
    return params


FiltersDep = Annotated[FilterParams, Depends(filter_params)]


def _policy_errors(values: dict[str, list[str]]) -> list[dict[str, object]]:
    """Every filter value within the text policy (length, no control or surrogate characters) before any
    normaliser or LIKE pattern sees it."""
    errors: list[dict[str, object]] = []
    for name, texts in values.items():
        for text in texts:
            problem = text_violation(name, text)
            if problem is not None:
                errors.append({"loc": ["query", name], "field": name, "message": problem})
    return errors


def _resolved(errors: list[dict[str, object]], name: str, values: list[str], resolve) -> list:  # noqa: ANN001
    resolved = []
    for value in values:
        result, expected = resolve(value.strip())
        if result is None:
            errors.append({"loc": ["query", name], "field": name, "message": f"got {value!r}, expected {expected}"})
        else:
            resolved.append(result)
    return resolved


def _region_code(text: str) -> tuple[str | None, str]:
    expected = "a region name such as 周口市 or 商水县, or a 6-digit GB/T 2260 code"
    if _CODE.fullmatch(text):
        return (text if region_by_code(text) else None), expected
    region = normalize_region(text)
    return (region.county_code or region.city_code or region.province_code), expected


def _industry(text: str) -> tuple[str | None, str]:
    if _SECTION.fullmatch(text) or text in {k.name for k in load_key_industries()}:
        return text, ""
    industry = normalize_industry(text)
    return (industry.key_industry or industry.section), "a key industry (e.g. 电子信息), a GB/T 4754 section letter A–T or industry text"  # noqa: E501


def _education(text: str) -> tuple[int | None, str]:
    if _RANK.fullmatch(text):
        return (int(text) if 1 <= int(text) <= 6 else None), "an education rank 1..6"
    return normalize_education(text).rank, "an education level such as 高中, 大专, 本科, 硕士 or a rank 1..6"


def _certificate(text: str | None) -> str | None:
    """The canonical certificate name when the text is a known certificate, else the text itself."""
    if not text or not text.strip():
        return None
    found = normalize_certificates(text.strip())
    return found[0].name if found and found[0].name else text.strip()
