"""What the printed lists say: a sign-up list per booth and an interview slip per talent, from a timetable.

The workbook's booth sheets and the PDF print the same rows. ``interviews`` here is the timetable's
interviews with two columns the outputs add: percent (匹配度, 0–100, ``wording.ScoreScale``) and reasons (the
run's 推荐理由 for the pair). Names and phones come only from ``contacts`` (indexed by talent id), which the
caller passes only when the reader may see them.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pandas as pd

from matcher.bulk.timetable import EventPlan

BOOTH_LIST_HEADERS = {"time": "时间", "desk": "桌号", "talent_id": "人才编号", "name": "姓名", "phone": "联系电话",
                      "title": "岗位名称", "percent": "匹配度", "reasons": "推荐理由", "signed": "签到", "note": "备注"}
SLIP_HEADERS = {"time": "时间", "place": "地点", "employer": "用人单位", "title": "岗位名称"}
"""A slip's columns; its place is the booth (and desk) within the venue its heading names."""


@dataclass(frozen=True)
class Slip:
    """One talent's interviews: rows keyed as SLIP_HEADERS, in time order; note says why there are none."""

    talent_id: str
    name: str
    rows: list[dict]
    note: str = ""


def event_line(plan: EventPlan) -> str:
    """2026-12-20 09:00–12:00 会展中心 — the line every printed page carries."""
    parts = [plan.date.isoformat() if plan.date else "", f"{plan.start:%H:%M}–{plan.end:%H:%M}", plan.venue]
    return "　".join(part for part in parts if part)


def booth_lists(interviews: pd.DataFrame, booths: pd.DataFrame, plan: EventPlan,
                contacts: pd.DataFrame | None) -> Iterator[tuple[int, str, pd.DataFrame]]:
    """(booth_no, booth name, rows) per booth in number order: one row per slot and desk, booked or empty (a
    walk-in signs on an empty row), columns the keys of BOOTH_LIST_HEADERS (desk only with 2+ interviewers,
    name and phone only with contacts)."""
    times = plan.slot_times()
    grid = pd.MultiIndex.from_product([range(1, plan.slots + 1), range(1, plan.interviewers + 1)],
                                      names=["slot", "desk"])
    columns = _list_columns(plan, contacts)
    by_booth = dict(iter(interviews.groupby("booth_no", sort=False)))
    for booth_no, name in booths["name"].items():
        booked = by_booth.get(booth_no, interviews.iloc[:0])
        rows = _with_contacts(booked, contacts).set_index(["slot", "desk"]).reindex(grid).reset_index()
        rows["time"] = [f"{times[slot - 1][0]}–{times[slot - 1][1]}" for slot in rows["slot"]]
        rows["signed"], rows["note"] = "", ""
        yield int(booth_no), str(name), rows[columns]


def talent_slips(interviews: pd.DataFrame, unplaced: pd.DataFrame | None, contacts: pd.DataFrame | None
                 ) -> list[Slip]:
    """A slip per talent with interviews (by talent id), then, with ``unplaced``, one per talent left out
    saying why."""
    desks = int(interviews["desk"].max()) if len(interviews) else 1
    names = contacts["name"] if contacts is not None else None
    slips: list[Slip] = []
    ordered = interviews.sort_values(["talent_id", "slot"], kind="stable")
    columns = ["talent_id", "start", "end", "booth_no", "desk", "employer", "title"]
    # plain tuples, not a pandas group per talent: thousands of small groups cost more than the drawing
    for talent_id, start, end, booth_no, desk, employer, title in ordered[columns].itertuples(index=False, name=None):
        if not slips or slips[-1].talent_id != str(talent_id):
            slips.append(Slip(str(talent_id), _name(names, talent_id), []))
        slips[-1].rows.append({"time": f"{start}–{end}", "place": _booth_place(booth_no, desk, desks),
                               "employer": _text(employer), "title": _text(title)})
    if unplaced is None:
        return slips
    left = unplaced[unplaced["kind"] == "人才"]
    for talent_id, reason in left[["id", "reason"]].itertuples(index=False, name=None):
        slips.append(Slip(str(talent_id), _name(names, talent_id), [], f"本次未能安排面试：{reason}"))
    return slips


def slip_table(interviews: pd.DataFrame, contacts: pd.DataFrame | None) -> pd.DataFrame:
    """Every talent's interviews as one table (the workbook's 人才面试单): talent, contacts, SLIP_HEADERS keys
    with the full place (venue, booth, desk)."""
    rows = _with_contacts(interviews.sort_values(["talent_id", "slot"], kind="stable"), contacts)
    rows = rows.assign(time=rows["start"] + "–" + rows["end"])
    contact_columns = ["name", "phone"] if contacts is not None else []
    return rows[["talent_id", *contact_columns, *SLIP_HEADERS]]


def _booth_place(booth_no: int, desk: int, desks: int) -> str:
    return f"{booth_no}号展位" + (f" {desk}号桌" if desks > 1 else "")


def _list_columns(plan: EventPlan, contacts: pd.DataFrame | None) -> list[str]:
    skip = set() if contacts is not None else {"name", "phone"}
    if plan.interviewers == 1:
        skip.add("desk")
    return [key for key in BOOTH_LIST_HEADERS if key not in skip]


def _with_contacts(rows: pd.DataFrame, contacts: pd.DataFrame | None) -> pd.DataFrame:
    if contacts is None:
        return rows
    return rows.join(contacts[["name", "phone"]], on="talent_id")


def _name(names: pd.Series | None, talent_id: object) -> str:
    if names is None:
        return ""
    value = names.get(talent_id)
    return "" if value is None or value != value else str(value)


def _text(value: object) -> str:
    return "" if value is None or value != value else str(value)


@dataclass(frozen=True, eq=False)
class Printout:
    """What the booth sheets and slips are printed from: the timetable's interviews with percent and reasons
    added, its unplaced rows and booths (``timetable.Timetable``), and the plan."""

    interviews: pd.DataFrame
    unplaced: pd.DataFrame
    booths: pd.DataFrame
    plan: EventPlan
