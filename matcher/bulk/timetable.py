"""The event timetable: which talent meets which booth, at what time, and what could not be placed and why.

Two steps. The min-cost flow of ``matcher.bulk.schedule`` (or the greedy baseline) chooses the interviews under
the caps, with each booth's cap set to what the event can hold: slots × interviewers. ``matcher.bulk.slots``
then gives every chosen interview a slot and a desk by bipartite edge colouring, which provably places all of
them with no talent and no desk in two interviews at once (König). Urgent positions (★4–5) come first twice:
the flow's bonus keeps them from being starved, and the colouring seats them in the earliest free slots.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from matcher.bulk.interview_event import BOOTH_KINDS, PairCodes, ScheduleLimits, booth_keys
from matcher.bulk.report import URGENT_STARS
from matcher.bulk.schedule import Schedule, schedule_interviews
from matcher.bulk.slots import assign_slots

TIMETABLE_COLUMNS = ("talent_id", "job_id", "title", "employer", "booth_no", "booth", "desk", "slot", "start", "end",
                     "place", "score", "urgent")
UNPLACED_COLUMNS = ("kind", "id", "name", "reason")
BOOTH_FULL, JOB_FULL, NO_MATCH = "展位已排满", "面试名额已满", "没有匹配度为正的推荐岗位"


@dataclass(frozen=True)
class EventPlan:
    """The event as staff plan it: date (None: not printed), start and end of the interviews, minutes a slot,
    a booth per employer or per job, interviewers working in parallel at each booth, and the venue printed on
    the slips (a booth's place is "<venue> <n>号展位")."""

    date: dt.date | None = None
    start: dt.time = dt.time(9, 0)
    end: dt.time = dt.time(12, 0)
    slot_minutes: int = 15
    booths: str = "employer"
    interviewers: int = 1
    venue: str = ""

    def __post_init__(self) -> None:
        if self.booths not in BOOTH_KINDS:
            raise ValueError(f"booths must be one of {', '.join(BOOTH_KINDS)}, got {self.booths!r}")
        if not 1 <= self.slot_minutes <= 24 * 60:
            raise ValueError(f"slot minutes must be between 1 and 1440, got {self.slot_minutes}")
        if self.interviewers < 1:
            raise ValueError(f"interviewers per booth must be at least 1, got {self.interviewers}")
        if self.slots < 1:
            raise ValueError(f"the event from {self.start:%H:%M} to {self.end:%H:%M} holds no "
                             f"{self.slot_minutes}-minute slot: the end must come at least one slot after the start")

    @property
    def slots(self) -> int:
        minutes = (self.end.hour * 60 + self.end.minute) - (self.start.hour * 60 + self.start.minute)
        return max(minutes // self.slot_minutes, 0)

    @property
    def booth_capacity(self) -> int:
        """Interviews one booth holds: slots × interviewers."""
        return self.slots * self.interviewers

    def slot_times(self) -> list[tuple[str, str]]:
        """("09:00", "09:15") per slot, in order."""
        origin = dt.datetime.combine(dt.date(2000, 1, 1), self.start)
        step = dt.timedelta(minutes=self.slot_minutes)
        return [(f"{origin + i * step:%H:%M}", f"{origin + (i + 1) * step:%H:%M}") for i in range(self.slots)]

    def describe(self) -> dict:
        """The plan as summary.json records it (strings people read)."""
        return {"date": self.date.isoformat() if self.date else None, "start": f"{self.start:%H:%M}",
                "end": f"{self.end:%H:%M}", "slot_minutes": self.slot_minutes, "slots": self.slots,
                "booths": self.booths, "interviewers": self.interviewers, "booth_capacity": self.booth_capacity,
                "venue": self.venue}


@dataclass(frozen=True, eq=False)
class Timetable:
    """interviews: TIMETABLE_COLUMNS, one row per interview, by booth, slot, desk (slot and desk from 1, start
    and end "HH:MM", urgent bool). unplaced: UNPLACED_COLUMNS, talents with no interview and urgent positions
    short of their headcount, each with the reason in Chinese. booths: booth_no (index) → key, name, jobs,
    interviews, capacity. summary: the solver's summary plus the plan and the counts of these tables."""

    interviews: pd.DataFrame
    unplaced: pd.DataFrame
    booths: pd.DataFrame
    summary: dict
    schedule: Schedule


Solver = Callable[[PairCodes, pd.DataFrame, ScheduleLimits], Schedule]


def plan_limits(limits: ScheduleLimits, plan: EventPlan, jobs: pd.DataFrame) -> ScheduleLimits:
    """``limits`` within what the event holds: a talent sits ≤ slots interviews, a booth ≤ its capacity (or the
    smaller cap the caller gave it)."""
    capacity, slots = plan.booth_capacity, limits.employer_slots
    if slots is None:
        booth_caps: int | Mapping[str, int] = capacity
    elif isinstance(slots, Mapping):
        booth_caps = {key: min(slots.get(key, capacity), capacity) for key in booth_keys(jobs, plan.booths)}
    else:
        booth_caps = min(slots, capacity)
    return dataclasses.replace(limits, per_talent=min(limits.per_talent, plan.slots), employer_slots=booth_caps,
                               booths=plan.booths)


def timetable_event(pairs: pd.DataFrame | PairCodes, jobs: pd.DataFrame, plan: EventPlan,
                    limits: ScheduleLimits | None = None, solver: Solver = schedule_interviews) -> Timetable:
    """The timetable of ``plan`` for ``pairs`` (talent_id, job_id, score, or the same coded) and ``jobs``
    (indexed by job_id: title, employer, employer_id optional, headcount, urgency_stars); solver chooses the
    interviews (``schedule_interviews`` or ``greedy_schedule``, given the pairs coded) under ``plan_limits``."""
    jobs = jobs.set_axis(jobs.index.astype(str))
    limits = plan_limits(limits or ScheduleLimits(), plan, jobs)
    pairs = pairs if isinstance(pairs, PairCodes) else PairCodes.of(pairs)
    schedule = solver(pairs, jobs, limits)
    booths = booth_table(jobs, plan)
    chosen = schedule.assignments
    urgent = _urgent(jobs).reindex(chosen["job_id"]).to_numpy(bool)
    order = np.lexsort((chosen["talent_id"].to_numpy(), -chosen["score"].to_numpy(), ~urgent))
    booth_no = pd.Series(booths.index, index=booths["key"]).reindex(chosen["employer"]).to_numpy()
    talent_codes, _ = pd.factorize(chosen["talent_id"])
    slot, desk = assign_slots(talent_codes, booth_no, order, plan.slots, plan.interviewers)
    interviews = _interview_rows(chosen, jobs, booths, booth_no, slot, desk, urgent, plan)
    unplaced = unplaced_rows(pairs, jobs, chosen, limits, booths)
    summary = {**schedule.summary, "plan": plan.describe(), "booth_count": len(booths),
               "capacity": int(booths["capacity"].sum()), "unplaced_talents": int((unplaced["kind"] == "人才").sum()),
               "urgent_short": int((unplaced["kind"] == "急需岗位").sum())}
    booths = booths.assign(interviews=pd.Series(booth_no).value_counts().reindex(booths.index, fill_value=0))
    return Timetable(interviews, unplaced, booths, summary, schedule)


def booth_table(jobs: pd.DataFrame, plan: EventPlan) -> pd.DataFrame:
    """Booths numbered from 1 in the order their first job appears in ``jobs``: key, name (the employer, or
    "title（employer）" for a booth per job), jobs (count), capacity."""
    keys = booth_keys(jobs, plan.booths)
    employer = jobs["employer"].astype(object).where(jobs["employer"].notna(), "").astype(str)
    names = employer if plan.booths == "employer" else jobs["title"].astype(str) + ("（" + employer + "）").where(
        employer != "", "")
    names = names.where(names != "", keys)
    frame = pd.DataFrame({"key": keys.to_numpy(), "name": names.to_numpy()})
    grouped = frame.groupby("key", sort=False).agg(name=("name", "first"), jobs=("name", "size")).reset_index()
    grouped.index = pd.RangeIndex(1, len(grouped) + 1, name="booth_no")
    return grouped.assign(capacity=plan.booth_capacity)


def _interview_rows(chosen: pd.DataFrame, jobs: pd.DataFrame, booths: pd.DataFrame, booth_no: np.ndarray,
                    slot: np.ndarray, desk: np.ndarray, urgent: np.ndarray, plan: EventPlan) -> pd.DataFrame:
    times = plan.slot_times()
    place = [f"{plan.venue} {n}号展位".strip() + (f" {d + 1}号桌" if plan.interviewers > 1 else "")
             for n, d in zip(booth_no.tolist(), desk.tolist(), strict=True)]
    job_ids = chosen["job_id"]
    frame = pd.DataFrame({
        "talent_id": chosen["talent_id"].to_numpy(), "job_id": job_ids.to_numpy(),
        "title": jobs["title"].reindex(job_ids).to_numpy(), "employer": jobs["employer"].reindex(job_ids).to_numpy(),
        "booth_no": booth_no.astype(np.int64), "booth": booths["name"].reindex(booth_no).to_numpy(),
        "desk": desk + 1, "slot": slot + 1, "start": [times[s][0] for s in slot], "end": [times[s][1] for s in slot],
        "place": place, "score": chosen["score"].to_numpy(), "urgent": urgent})
    frame = frame.sort_values(["booth_no", "slot", "desk"], kind="stable").reset_index(drop=True)
    return frame[list(TIMETABLE_COLUMNS)]


def unplaced_rows(pairs: PairCodes, jobs: pd.DataFrame, chosen: pd.DataFrame, limits: ScheduleLimits,
                  booths: pd.DataFrame) -> pd.DataFrame:
    """Talents with candidate pairs but no interview, and urgent jobs given fewer interviews than headcount.

    A talent left out had every positive pair blocked: its booth was full, or its job had seen its
    ceil(headcount × factor) candidates (an optimal flow takes any positive pair with room on both). An urgent
    job falls short because too few talents match it, its booth is full, or its candidates' interviews went to
    better matches.
    """
    key_of_job = booth_keys(jobs, limits.booths)
    caps = booths.set_index("key")["capacity"]
    if isinstance(limits.employer_slots, Mapping):
        caps = pd.Series(limits.employer_slots).reindex(caps.index).fillna(caps).astype(int)
    booth_full = chosen.groupby("employer").size().reindex(caps.index, fill_value=0) >= caps
    headcount = pd.to_numeric(jobs["headcount"], errors="coerce").fillna(1.0)
    job_limit = np.ceil(headcount * limits.per_job_factor - 1e-9)
    per_job = chosen["job_id"].value_counts().reindex(jobs.index.astype(str), fill_value=0)
    job_full = pd.Series(per_job.to_numpy() >= job_limit.to_numpy(), index=per_job.index)
    rows = _talent_rows(pairs, chosen, key_of_job, booth_full, job_full)
    rows += _urgent_rows(pairs, jobs, per_job, headcount, key_of_job, booth_full)
    return pd.DataFrame(rows, columns=list(UNPLACED_COLUMNS))


def _talent_rows(pairs: PairCodes, chosen: pd.DataFrame, key_of_job: pd.Series, booth_full: pd.Series,
                 job_full: pd.Series) -> list[tuple]:
    """A row per talent left out, by talent id: first those with no positive pair, then the others with the
    count of their positive pairs behind a full booth and behind a full job. Counted per talent code: the
    pairs run to millions, the jobs to hundreds."""
    n_talents = len(pairs.talent_ids)
    left = np.ones(n_talents, bool)
    placed = pairs.talent_ids.get_indexer(chosen["talent_id"].unique())
    left[placed[placed >= 0]] = False
    positive = left[pairs.talent] & (pairs.score > 0)
    full_booth = booth_full.reindex(key_of_job.reindex(pairs.job_names).to_numpy()).fillna(False).to_numpy(bool)
    full_job = job_full.reindex(pairs.job_names).fillna(False).to_numpy(bool) & ~full_booth
    talent, job = pairs.talent[positive], pairs.job[positive]
    candidates = np.bincount(talent, minlength=n_talents)
    behind_booth = np.bincount(talent[full_booth[job]], minlength=n_talents)
    behind_job = np.bincount(talent[full_job[job]], minlength=n_talents)
    ids = pairs.talent_ids
    rows = [("人才", talent_id, "", NO_MATCH) for talent_id in ids[left & (candidates == 0)].sort_values()]
    counted = pd.DataFrame({"booth": behind_booth, "job": behind_job}, index=ids)[left & (candidates > 0)]
    counted = counted.sort_index()
    for talent_id, booth_count, job_count in counted.itertuples(name=None):
        parts = [f"{n}个候选岗位的{label}" for n, label in ((booth_count, BOOTH_FULL), (job_count, JOB_FULL)) if n]
        rows.append(("人才", talent_id, "", "，".join(parts) or "名额已被匹配度更高的人才占用"))
    return rows


def _urgent_rows(pairs: PairCodes, jobs: pd.DataFrame, per_job: pd.Series, headcount: pd.Series,
                 key_of_job: pd.Series, booth_full: pd.Series) -> list[tuple]:
    positive = np.bincount(pairs.job[pairs.score > 0], minlength=len(pairs.job_names))
    candidates = pd.Series(positive, index=pairs.job_names)
    rows = []
    for job_id in jobs.index[_urgent(jobs).to_numpy()].astype(str):
        need, got = int(np.ceil(headcount[job_id] - 1e-9)), int(per_job[job_id])
        if got >= need:
            continue
        found = int(candidates.get(job_id, 0))
        if found < need:
            reason = f"匹配的人才不足：需{need}人，仅{found}人匹配"
        elif bool(booth_full.get(key_of_job[job_id], False)):
            reason = f"{BOOTH_FULL}：需{need}人，已安排{got}人"
        else:
            reason = f"候选人的面试次数已用于匹配度更高的岗位：需{need}人，已安排{got}人"
        rows.append(("急需岗位", job_id, str(jobs.at[job_id, "title"]), reason))
    return rows


def _urgent(jobs: pd.DataFrame) -> pd.Series:
    stars = pd.to_numeric(jobs["urgency_stars"], errors="coerce").fillna(0)
    return pd.Series((stars >= URGENT_STARS).to_numpy(), index=jobs.index.astype(str))
