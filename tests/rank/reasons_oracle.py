"""The oracle for matcher.rank.reasons: a pair's reasons built one pair at a time, straight from its feature row
and the two profile rows, by matcher.rank.explain's wording builders (the per-pair path serving used before the
one ranking path)."""
from __future__ import annotations

from collections.abc import Mapping

from matcher.rank.explain import (
    HOMETOWN_COLUMNS,
    OCCUPATION_REASONS,
    _certificate_text,
    _education_text,
    _experience_text,
    _hometown_text,
    _industry_text,
    _intent_city_text,
    _known,
    _major_text,
    _qualification_text,
    _salary_text,
    _scalar,
    _skills_text,
    _urgency_text,
)


def certificate_reason(f: Mapping, talent: Mapping, job: Mapping) -> str | None:
    if not f["cert_required"] or (f["qualification_fit"] == 1 and job["req_cert_graded"]):
        return None  # nothing required, or the graded qualification's reason says it with grade and speciality
    held = talent["held_certs"].get(job["req_cert_key"], 0)
    return _certificate_text(f["cert_held"] == 0, _scalar(f["cert_meets_level"]) == 1, job["req_cert_name"],
                             _scalar(job["req_cert_level"]), held)


def qualification_reason(f: Mapping, talent: Mapping, job: Mapping) -> str | None:
    if f["qualification_fit"] != 1:
        return None
    return _qualification_text(talent["qualifications"], job["req_qual_key"], _scalar(job["req_qual_rank"]),
                               job["req_qual_specialities"])


def requirement_reasons(f: Mapping, talent: Mapping, job: Mapping) -> list[str]:
    texts = (_education_text(_scalar(f["education_gap"]), _scalar(talent["education_rank"]),
                             _scalar(job["education_rank"])),
             _experience_text(_scalar(f["experience_gap"]), _scalar(talent["experience_years"]),
                              _scalar(job["experience_min"])))
    return [text for text in texts if text is not None]


def match_reasons(f: Mapping, talent: Mapping, job: Mapping) -> list[str]:
    """Reasons for one pair, most decisive first. f: one feature row by name; talent/job: profile rows."""
    reasons = [OCCUPATION_REASONS[int(f["occupation_match"])]] if f["occupation_match"] in OCCUPATION_REASONS else []
    major = _major_text(talent["major_name"]) if f["major_fit"] == 1 else None
    reasons += [r for r in (certificate_reason(f, talent, job), qualification_reason(f, talent, job), major) if r]
    if _known(f["skill_overlap"]) and f["skill_overlap"] > 0:
        reasons.append(_skills_text(talent["skills"], job["skills"]))
    if f["industry_same_key"] == 1:
        reasons.append(_industry_text(job["industry_key"]))
    reasons.append(_hometown_text(_scalar(f["hometown_level"]), f["willing_to_return"] == 1,
                                  *(_scalar(talent[c]) for c in HOMETOWN_COLUMNS)))
    if f["job_city_in_intent"] == 1:
        reasons.append(_intent_city_text(job["city_code"]))
    reasons.extend(requirement_reasons(f, talent, job))
    reasons.append(_salary_text(_scalar(talent["expected_salary_min"]), _scalar(job["salary_min"]),
                                _scalar(job["salary_max"])))
    if _known(f["urgency_stars"]) and f["urgency_stars"] >= 4:
        reasons.append(_urgency_text(f["urgency_stars"]))
    return reasons
