"""Row checks for the smaller import kinds: employers, workstations and talent–job events."""
from __future__ import annotations

from collections.abc import Mapping

from matcher.normalize import cells
from matcher.normalize.industry import normalize_industry
from matcher.normalize.region import normalize_region
from matcher.normalize.rules import NormalizedRecord, Outcome, RecordKind, check_record, parsed_rule, rule
from matcher.store.models import EVENT_KINDS

EMPLOYER_REQUIRED = ("employer_id", "name")
WORKSTATION_REQUIRED = ("workstation_id", "name")
EVENT_REQUIRED = ("talent_id", "job_id", "kind", "occurred_at")
EVENT_KIND_NAMES = {
    **{kind: kind for kind in EVENT_KINDS},
    "浏览": "viewed", "查看": "viewed",
    "投递": "applied", "申请": "applied", "应聘": "applied", "报名": "applied",
    "面试": "interviewed",
    "录用": "hired", "聘用": "hired", "入职": "hired",
    "拒绝": "rejected", "不合适": "rejected", "淘汰": "rejected", "未录用": "rejected",
}


@rule("city", "county")
def _organisation_place(city: object, county: object) -> Outcome:
    place = "".join(text for text in (cells.clean_text(city), cells.clean_text(county)) if text)
    region = normalize_region(place or None)
    return {"province_code": region.province_code, "city_code": region.city_code,
            "county_code": region.county_code}, ()


@rule("city")
def _workstation_place(city: object) -> Outcome:
    region = normalize_region(cells.clean_text(city))
    return {"province_code": region.province_code, "city_code": region.city_code}, ()


@rule("industry")
def _industry(value: object) -> Outcome:
    industry = normalize_industry(cells.clean_text(value))
    return {"industry_key": industry.key_industry, "industry_section": industry.section}, ()


def _event_kind(text: str) -> str:
    kind = EVENT_KIND_NAMES.get(text.strip().lower())
    if kind is None:
        raise cells.CellError("one of viewed/浏览, applied/投递, interviewed/面试, hired/录用, rejected/不合适")
    return kind


EMPLOYER_KIND = RecordKind(
    texts=("employer_id", "name", "industry", "city", "county", "nature", "size", "description"),
    required=EMPLOYER_REQUIRED,
    rules=(_organisation_place, _industry),
)
WORKSTATION_KIND = RecordKind(
    texts=("workstation_id", "name", "city", "host_organisation"),
    required=WORKSTATION_REQUIRED,
    rules=(_workstation_place,),
)
# Without a kind and a time an event could not be told apart from another: both are required.
EVENT_KIND = RecordKind(
    texts=("talent_id", "job_id", "source"),
    required=EVENT_REQUIRED,
    rules=(parsed_rule("kind", _event_kind), parsed_rule("occurred_at", cells.parse_datetime)),
)


def check_employer(raw: Mapping[str, object]) -> NormalizedRecord:
    return check_record(raw, EMPLOYER_KIND)


def check_workstation(raw: Mapping[str, object]) -> NormalizedRecord:
    return check_record(raw, WORKSTATION_KIND)


def check_event(raw: Mapping[str, object]) -> NormalizedRecord:
    """An event row; whether its talent and job exist is checked against the database at import."""
    return check_record(raw, EVENT_KIND)
