"""The event timetable: no one in two places at once, capacities, urgent first, reasons for what was left out."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from matcher.bulk.greedy import greedy_schedule
from matcher.bulk.interview_event import ScheduleLimits
from matcher.bulk.schedule import schedule_interviews
from matcher.bulk.slots import assign_slots
from matcher.bulk.timetable import EventPlan, timetable_event

NINE = dt.time(9, 0)


def _jobs(rows: dict[str, tuple]) -> pd.DataFrame:
    """job_id → (title, employer, headcount, urgency_stars)."""
    frame = pd.DataFrame.from_dict(rows, orient="index", columns=["title", "employer", "headcount", "urgency_stars"])
    return frame.astype({"headcount": float, "urgency_stars": float})


def _pairs(rows: list[tuple[str, str, float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["talent_id", "job_id", "score"])


def _plan(slots: int, **kwargs) -> EventPlan:
    end = (dt.datetime.combine(dt.date.today(), NINE) + dt.timedelta(minutes=15 * slots)).time()
    return EventPlan(start=NINE, end=end, slot_minutes=15, **kwargs)


def _assert_timetable_holds(table, plan: EventPlan, per_talent: int) -> None:
    frame = table.interviews
    assert not frame.duplicated(["talent_id", "slot"]).any(), "a talent in two places at once"
    assert not frame.duplicated(["booth_no", "slot", "desk"]).any(), "a desk holding two interviews at once"
    assert frame["slot"].between(1, plan.slots).all() and frame["desk"].between(1, plan.interviewers).all()
    assert (frame.groupby(["booth_no", "slot"]).size() <= plan.interviewers).all()
    assert (frame.groupby("booth_no").size() <= plan.booth_capacity).all()
    assert (frame.groupby("talent_id").size() <= min(per_talent, plan.slots)).all()
    times = plan.slot_times()
    assert [times[s - 1] for s in frame["slot"]] == list(zip(frame["start"], frame["end"], strict=True))
    assert len(frame) == table.summary["interviews"] == len(table.schedule.assignments), "a chosen interview dropped"


def test_plan_slots_and_times():
    plan = EventPlan(date=dt.date(2026, 12, 20), start=NINE, end=dt.time(10, 10), slot_minutes=20, interviewers=2)
    assert plan.slots == 3 and plan.booth_capacity == 6
    assert plan.slot_times() == [("09:00", "09:20"), ("09:20", "09:40"), ("09:40", "10:00")]
    assert plan.describe()["date"] == "2026-12-20"


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"end": dt.time(9, 10)}, "no 15-minute slot"), ({"end": dt.time(8, 0)}, "end must come"),
    ({"slot_minutes": 0}, "slot minutes"), ({"interviewers": 0}, "interviewers"), ({"booths": "hall"}, "booths"),
])
def test_an_impossible_plan_is_an_error(kwargs, message):
    with pytest.raises(ValueError, match=message):
        EventPlan(**{"start": NINE, "slot_minutes": 15} | kwargs)


def test_known_answer_two_talents_one_booth_two_slots():
    jobs = _jobs({"J1": ("焊工", "甲公司", 2.0, 1.0), "J2": ("电工", "甲公司", 2.0, 1.0)})
    pairs = _pairs([("A", "J1", 0.9), ("A", "J2", 0.8), ("B", "J1", 0.5)])
    table = timetable_event(pairs, jobs, _plan(2, venue="会展中心"), ScheduleLimits(per_talent=3))
    rows = table.interviews[["talent_id", "job_id", "start", "end", "place"]].to_records(index=False).tolist()
    # the booth holds 2: A's two best interviews fill it (total 1.7 beats 0.9 + 0.5), best first at 09:00
    assert rows == [("A", "J1", "09:00", "09:15", "会展中心 1号展位"),
                    ("A", "J2", "09:15", "09:30", "会展中心 1号展位")]
    assert table.unplaced.to_records(index=False).tolist() == [("人才", "B", "", "1个候选岗位的展位已排满")]
    assert table.booths.loc[1, ["name", "interviews", "capacity"]].tolist() == ["甲公司", 2, 2]


def test_urgent_interviews_take_the_earliest_slots():
    jobs = _jobs({"N": ("普工", "甲公司", 5.0, 2.0), "U": ("护士", "甲公司", 5.0, 5.0)})
    pairs = _pairs([("A", "N", 0.9), ("B", "N", 0.8), ("C", "U", 0.3)])
    table = timetable_event(pairs, jobs, _plan(3))
    order = table.interviews.sort_values("slot")[["job_id", "talent_id", "start"]].to_records(index=False).tolist()
    assert order == [("U", "C", "09:00"), ("N", "A", "09:15"), ("N", "B", "09:30")]
    assert table.interviews.set_index("job_id")["urgent"].to_dict() == {"U": True, "N": False}


def test_a_talent_at_two_booths_sits_them_at_different_times_and_desks_share_a_slot():
    jobs = _jobs({"J1": ("焊工", "甲", 1.0, 1.0), "J2": ("电工", "乙", 1.0, 1.0)})
    pairs = _pairs([("A", "J1", 0.9), ("A", "J2", 0.9), ("B", "J1", 0.8), ("C", "J1", 0.7)])
    plan = _plan(2, interviewers=2)
    table = timetable_event(pairs, jobs, plan, ScheduleLimits(per_talent=2))
    _assert_timetable_holds(table, plan, 2)
    at = table.interviews.set_index(["talent_id", "job_id"])
    assert at.loc[("A", "J1"), "slot"] != at.loc[("A", "J2"), "slot"]
    assert len(table.interviews) == 4 and table.interviews.groupby(["booth_no", "slot"]).size().max() == 2


def test_a_booth_per_job_numbers_booths_in_catalogue_order():
    jobs = _jobs({"J2": ("电工", "甲", 1.0, 1.0), "J1": ("焊工", "甲", 1.0, 1.0)})
    table = timetable_event(_pairs([("A", "J1", 0.9), ("B", "J2", 0.9)]), jobs, _plan(2, booths="job"))
    assert table.booths["name"].tolist() == ["电工（甲）", "焊工（甲）"]
    assert table.interviews.set_index("job_id")["booth_no"].to_dict() == {"J2": 1, "J1": 2}


def test_the_reasons_an_urgent_job_falls_short():
    jobs = _jobs({"U1": ("护士", "甲", 3.0, 5.0), "U2": ("医生", "乙", 1.0, 4.0)})
    pairs = _pairs([("A", "U1", 0.9), ("B", "U2", -0.2)])
    table = timetable_event(pairs, jobs, _plan(4))
    assert table.unplaced.to_records(index=False).tolist() == [
        ("人才", "B", "", "没有匹配度为正的推荐岗位"),
        ("急需岗位", "U1", "护士", "匹配的人才不足：需3人，仅1人匹配"),
        ("急需岗位", "U2", "医生", "匹配的人才不足：需1人，仅0人匹配")]
    assert table.summary["unplaced_talents"] == 1 and table.summary["urgent_short"] == 2


def test_a_talent_limit_above_the_slots_is_cut_to_the_slots():
    jobs = _jobs({f"J{j}": ("岗", f"单位{j}", 1.0, 1.0) for j in range(5)})
    pairs = _pairs([("A", f"J{j}", 0.5 + j / 10) for j in range(5)])
    table = timetable_event(pairs, jobs, _plan(2), ScheduleLimits(per_talent=5))
    assert sorted(table.interviews["job_id"]) == ["J3", "J4"] and sorted(table.interviews["slot"]) == [1, 2]


def _random_instance(seed: int):
    rng = np.random.default_rng(seed)
    n_jobs, n_employers = int(rng.integers(2, 12)), int(rng.integers(1, 6))
    jobs = _jobs({f"J{j}": ("岗位", f"单位{rng.integers(n_employers)}", float(rng.integers(1, 4)),
                            float(rng.choice([1, 3, 4, 5]))) for j in range(n_jobs)})
    pairs = _pairs([(f"T{t}", f"J{j}", round(float(rng.normal(0.5, 0.4)), 4))
                    for t in range(int(rng.integers(1, 60)))
                    for j in rng.choice(n_jobs, size=int(rng.integers(1, n_jobs + 1)), replace=False)])
    plan = _plan(int(rng.integers(1, 8)), interviewers=int(rng.integers(1, 4)), booths=["employer", "job"][seed % 2])
    limits = ScheduleLimits(per_talent=int(rng.integers(1, 6)), per_job_factor=float(rng.choice([1.0, 2.0, 5.0])))
    return pairs, jobs, plan, limits


@pytest.mark.parametrize("solver", [schedule_interviews, greedy_schedule])
@pytest.mark.parametrize("seed", range(40))
def test_random_events_never_put_anyone_in_two_places(solver, seed):
    pairs, jobs, plan, limits = _random_instance(seed)
    table = timetable_event(pairs, jobs, plan, limits, solver=solver)
    _assert_timetable_holds(table, plan, limits.per_talent)
    unplaced = set(table.unplaced.loc[table.unplaced["kind"] == "人才", "id"])
    assert unplaced == set(pairs["talent_id"]) - set(table.interviews["talent_id"])


@pytest.mark.parametrize("seed", range(25))
def test_colouring_fits_a_regular_multigraph_into_exactly_its_degree(seed):
    """König: every talent and every desk at full load S still fits in S slots (this forces path swaps)."""
    rng = np.random.default_rng(seed)
    slots, talents, desks = int(rng.integers(1, 7)), int(rng.integers(1, 30)), int(rng.integers(1, 3))
    # S random perfect matchings between talents and as many lanes: an S-regular bipartite multigraph; lanes
    # grouped k at a time into booths, so a booth carries exactly its S × k
    edges = [(t, lane) for _ in range(slots) for t, lane in enumerate(rng.permutation(talents))]
    talent = np.array([t for t, _ in edges])
    booth = np.array([lane // desks for _, lane in edges])
    slot, desk = assign_slots(talent, booth, rng.permutation(len(edges)), slots, desks)
    assert slot.min() >= 0 and slot.max() < slots and desk.max() < desks
    assert len(set(zip(talent.tolist(), slot.tolist(), strict=True))) == len(edges)
    assert len(set(zip(booth.tolist(), desk.tolist(), slot.tolist(), strict=True))) == len(edges)


def test_colouring_refuses_more_interviews_than_slots():
    with pytest.raises(ValueError, match="only 1 slots"):
        assign_slots(np.array([0, 0]), np.array([0, 1]), np.array([0, 1]), 1, 1)
    with pytest.raises(ValueError, match="holds only 1 × 1"):
        assign_slots(np.array([0, 1]), np.array([0, 0]), np.array([0, 1]), 1, 1)
