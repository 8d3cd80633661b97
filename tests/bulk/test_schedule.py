"""The event interview schedule: caps on random instances, a MILP oracle, known answers where greedy starves."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import Bounds, LinearConstraint, milp

from matcher.bulk.greedy import _take_in_score_order, greedy_schedule
from matcher.bulk.interview_event import SCORE_SCALE, PairCodes, ScheduleLimits, employer_keys, prepare_event
from matcher.bulk.schedule import ASSIGNMENT_COLUMNS, compare, read_pairs, schedule_interviews, usable_pairs

SOLVERS = {"flow": schedule_interviews, "greedy": greedy_schedule}


def _jobs(rows: dict[str, tuple]) -> pd.DataFrame:
    """job_id → (headcount, urgency_stars, employer_id, employer)."""
    frame = pd.DataFrame.from_dict(rows, orient="index",
                                   columns=["headcount", "urgency_stars", "employer_id", "employer"])
    frame.index.name = "job_id"
    return frame.astype({"headcount": float, "urgency_stars": float})


def _pairs(rows: list[tuple[str, str, float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["talent_id", "job_id", "score"])


def _random_event(seed: int, talents: int = 8, jobs: int = 5, employers: int = 3, top: int = 4):
    """Random pairs (scores to 4 decimals, some negative), jobs and limits; employer ids sometimes missing."""
    rng = np.random.default_rng(seed)
    job_ids = [f"J{j}" for j in range(jobs)]
    booth = rng.integers(employers, size=jobs)
    job_frame = _jobs({job: (rng.choice([1.0, 2.0, 1.5, np.nan]), rng.choice([np.nan, 2.0, 4.0, 5.0]),
                             None if rng.random() < 0.3 else f"E{booth[j]}", f"单位{booth[j]}")
                       for j, job in enumerate(job_ids)})
    pairs = _pairs([(f"T{t}", job_ids[j], round(float(rng.normal(0.4, 0.5)), 4))
                    for t in range(talents) for j in rng.choice(jobs, size=min(top, jobs), replace=False)])
    slots = [None, int(rng.integers(1, 4)), {f"E{booth[0]}": int(rng.integers(0, 3))}][seed % 3]
    limits = ScheduleLimits(per_talent=int(rng.integers(1, 4)), per_job_factor=float(rng.choice([1.0, 1.5, 3.0])),
                            employer_slots=slots)
    return pairs, job_frame, limits


def _expected_caps(jobs: pd.DataFrame, limits: ScheduleLimits) -> tuple[dict, dict, dict]:
    """Independently of the module: job limit, urgent need, and booth of each job."""
    headcount = jobs["headcount"].fillna(1.0)
    limit = {job: math.ceil(round(h * limits.per_job_factor, 9)) for job, h in headcount.items()}
    need = {job: math.ceil(h) for job, h in headcount.items() if jobs.at[job, "urgency_stars"] >= 4}
    booth = {job: row["employer_id"] if pd.notna(row["employer_id"]) else row["employer"]
             for job, row in jobs.iterrows()}
    return limit, need, booth


def _oracle(pairs: pd.DataFrame, jobs: pd.DataFrame, limits: ScheduleLimits, bonus: float = 0.0) -> float:
    """max Σ score·x + bonus·Σ_urgent y by MILP: x binary per pair under the caps, y_job ≤ need and ≤ its x's."""
    limit, need, booth = _expected_caps(jobs, limits)
    urgent = sorted(need)
    slots = limits.employer_slots
    caps = [(pairs["talent_id"].eq(talent), limits.per_talent) for talent in pairs["talent_id"].unique()]
    caps += [(pairs["job_id"].eq(job), limit[job]) for job in jobs.index]
    caps += [(pairs["job_id"].map(booth).eq(key), slots if isinstance(slots, int) else slots[key])
             for key in set(booth.values()) if isinstance(slots, int) or key in (slots or {})]
    rows = [np.concatenate([mask.to_numpy(float), np.zeros(len(urgent))]) for mask, _ in caps]
    rows += [np.concatenate([-pairs["job_id"].eq(job).to_numpy(float), np.eye(len(urgent))[column]])
             for column, job in enumerate(urgent)]
    upper = [cap for _, cap in caps] + [0.0] * len(urgent)
    cost = -np.concatenate([pairs["score"].to_numpy(float), np.full(len(urgent), bonus)])
    ub = np.concatenate([np.ones(len(pairs)), [need[job] for job in urgent]])
    result = milp(cost, constraints=LinearConstraint(np.array(rows), -np.inf, upper), integrality=np.ones(len(cost)),
                  bounds=Bounds(0, ub))
    assert result.success
    return -result.fun


def _assert_within_limits(schedule, pairs, jobs, limits) -> None:
    limit, _, booth = _expected_caps(jobs, limits)
    frame = schedule.assignments
    assert list(frame.columns) == list(ASSIGNMENT_COLUMNS)
    assert not frame.duplicated(["talent_id", "job_id"]).any()
    known = frame.merge(pairs, on=["talent_id", "job_id"], suffixes=("", "_input"))
    assert len(known) == len(frame) and (known["score"] == known["score_input"]).all()
    assert (frame["score"] > 0).all()
    assert (frame["employer"] == frame["job_id"].map(booth)).all()
    assert (frame.groupby("talent_id").size() <= limits.per_talent).all()
    for job, count in frame.groupby("job_id").size().items():
        assert count <= limit[job]
    slots = limits.employer_slots
    for key, count in frame.groupby("employer").size().items():
        cap = slots if isinstance(slots, int) else (slots or {}).get(key, count)
        assert count <= cap
    assert schedule.summary["interviews"] == len(frame)
    assert schedule.summary["total_score"] == pytest.approx(frame["score"].sum())


@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize("seed", range(6))
def test_every_cap_holds_on_random_instances(solver, seed):
    pairs, jobs, limits = _random_event(seed, talents=200, jobs=30, employers=8, top=8)
    schedule = SOLVERS[solver](pairs, jobs, limits)
    _assert_within_limits(schedule, pairs, jobs, limits)
    assert schedule.summary["interviews"] > 0


@pytest.mark.parametrize("seed", range(30))
def test_flow_matches_the_milp_optimum_without_bonus(seed):
    pairs, jobs, limits = _random_event(seed)
    schedule = schedule_interviews(pairs, jobs, limits, urgent_bonus=0)
    _assert_within_limits(schedule, pairs, jobs, limits)
    assert schedule.summary["total_score"] == pytest.approx(_oracle(pairs, jobs, limits), abs=1e-9)


def _greedy_by_full_sort(event) -> np.ndarray:
    """The greedy walk over every pair sorted at once: the twin the two-run walk is checked against."""
    talent_room = [event.per_talent] * len(event.talent_ids)
    job_room, booth_room = event.job_limit.tolist(), event.employer_cap.tolist()
    chosen = np.zeros(len(event.score), bool)
    for pair in np.argsort(-event.score, kind="stable"):
        talent, job = event.talent[pair], event.job[pair]
        booth = event.job_employer[job]
        if talent_room[talent] and job_room[job] and booth_room[booth]:
            talent_room[talent] -= 1
            job_room[job] -= 1
            booth_room[booth] -= 1
            chosen[pair] = True
    return chosen


@pytest.mark.parametrize("seed", range(12))
def test_greedy_takes_the_same_pairs_whatever_part_it_sorts_first(seed):
    pairs, jobs, limits = _random_event(seed, talents=40, jobs=5, top=4)
    pairs["score"] = pairs["score"].round(1)  # ties, some across the first run's threshold
    event = prepare_event(pairs, jobs, limits)
    expected = _greedy_by_full_sort(event)
    for first in (1, 5, 17, len(event.score) - 1, len(event.score), 10**9):
        assert np.array_equal(_take_in_score_order(event, first), expected), first


def _usable_by_rank(event) -> np.ndarray:
    """usable_pairs written with a rank for every pair: the definition its job-at-a-time cut is checked against."""
    rooms = (int(event.job_limit.sum()), int(np.minimum(event.employer_cap, len(event.talent)).sum()),
             event.per_talent * len(event.talent_ids))
    order = np.lexsort((-event.gain, event.job))
    job = event.job[order]
    rank = np.arange(len(job)) - np.searchsorted(job, job)
    usable = np.zeros(len(job), bool)
    usable[order] = rank < event.job_limit[job] + min(rooms) // event.per_talent
    return usable


def test_usable_pairs_are_each_jobs_best_limit_plus_s_by_gain():
    cut = 0
    for seed in range(20):
        pairs, jobs, limits = _random_event(seed, talents=60, jobs=4, employers=2, top=4)
        limits = ScheduleLimits(per_talent=1 + seed % 2, per_job_factor=1.0, employer_slots=limits.employer_slots)
        event = prepare_event(pairs[pairs["score"] > 0], jobs, limits)
        usable = usable_pairs(event)
        assert np.array_equal(usable, _usable_by_rank(event)), seed
        cut += int((~usable).sum())
    assert cut > 0  # the events are large enough for pairs to be cut


@pytest.mark.parametrize("bonus", [0.0, 1.0])
@pytest.mark.parametrize("seed", range(12))
def test_a_pool_far_larger_than_the_event_keeps_the_optimum(seed, bonus):
    """Many candidates for few places: the flow is posed on each job's best job_limit + S pairs only (most are
    dropped) and still reaches the MILP optimum over every pair, with and without the urgent bonus."""
    pairs, jobs, limits = _random_event(seed, talents=60, jobs=4, employers=2, top=4)
    pairs = pairs[pairs["score"] > 0]
    limits = ScheduleLimits(per_talent=1 + seed % 2, per_job_factor=1.0, employer_slots=limits.employer_slots)
    usable = usable_pairs(prepare_event(pairs, jobs, limits))
    assert usable.sum() < len(usable) / 2
    schedule = schedule_interviews(pairs, jobs, limits, urgent_bonus=bonus)
    _assert_within_limits(schedule, pairs, jobs, limits)
    _, need, _ = _expected_caps(jobs, limits)
    interviews = schedule.assignments["job_id"].value_counts()
    extra = schedule.summary["urgent_bonus_score"] * sum(min(interviews.get(j, 0), n) for j, n in need.items())
    oracle = _oracle(pairs, jobs, limits, schedule.summary["urgent_bonus_score"])
    assert schedule.summary["total_score"] + extra == pytest.approx(oracle, abs=1e-9)


@pytest.mark.parametrize("seed", range(30))
def test_flow_matches_the_milp_optimum_with_the_concave_urgent_bonus(seed):
    pairs, jobs, limits = _random_event(seed)
    schedule = schedule_interviews(pairs, jobs, limits, urgent_bonus=1.0)
    bonus = schedule.summary["urgent_bonus_score"]
    _, need, _ = _expected_caps(jobs, limits)
    interviews = schedule.assignments["job_id"].value_counts()
    objective = schedule.summary["total_score"] + bonus * sum(min(interviews.get(j, 0), n) for j, n in need.items())
    # the schedule never takes a pair of score ≤ 0, so the oracle is posed on the positive pairs only
    assert objective == pytest.approx(_oracle(pairs[pairs["score"] > 0], jobs, limits, bonus), abs=1e-9)


def test_flow_total_is_never_below_greedy_and_sometimes_above():
    gains = []
    for seed in range(8):
        pairs, jobs, limits = _random_event(seed, talents=120, jobs=12, employers=4, top=6)
        flow = schedule_interviews(pairs, jobs, limits, urgent_bonus=0)
        greedy = greedy_schedule(pairs, jobs, limits)
        gains.append(compare(flow, greedy)["metrics"]["total_score"]["difference"])
    assert min(gains) >= -1e-9
    assert max(gains) > 0.01


def _starving() -> tuple[pd.DataFrame, pd.DataFrame, ScheduleLimits]:
    """A and B both prefer the popular P (limit 2); only A is a fair match for the urgent U."""
    jobs = _jobs({"P": (1.0, 2.0, "E1", "热门公司"), "U": (1.0, 5.0, "E2", "急需公司")})
    pairs = _pairs([("A", "P", 0.9), ("B", "P", 0.8), ("A", "U", 0.7), ("B", "U", 0.3)])
    return pairs, jobs, ScheduleLimits(per_talent=1, per_job_factor=2)


def _interviews(schedule) -> set[tuple[str, str]]:
    return set(zip(schedule.assignments["talent_id"], schedule.assignments["job_id"], strict=True))


def test_greedy_starves_the_urgent_job_and_the_bonus_covers_it():
    pairs, jobs, limits = _starving()
    greedy = greedy_schedule(pairs, jobs, limits)
    assert _interviews(greedy) == {("A", "P"), ("B", "P")}
    assert _interviews(schedule_interviews(pairs, jobs, limits, urgent_bonus=0)) == {("A", "P"), ("B", "P")}
    # interquartile range of the scores is 0.225: A moving to U costs 0.2 and gains 0.225
    flow = schedule_interviews(pairs, jobs, limits, urgent_bonus=1.0)
    assert flow.summary["urgent_bonus_score"] == pytest.approx(0.225)
    assert _interviews(flow) == {("A", "U"), ("B", "P")}
    assert flow.summary | {"seconds": 0} == {
        "solver": "ortools.SimpleMinCostFlow", "interviews": 2, "talents_scheduled": 2, "total_score": 1.5,
        "urgent_positions": 1, "urgent_covered": 1, "urgent_filled": 1, "seconds": 0, "urgent_bonus_score": 0.225}
    report = compare(flow, greedy)
    assert report["shared_interviews"] == 1
    assert report["metrics"]["urgent_covered"] == {"schedule": 1, "greedy": 0, "difference": 1}
    assert report["metrics"]["total_score"]["difference"] == pytest.approx(-0.2)


def test_the_default_bonus_covers_urgent_jobs_that_popular_jobs_starve_at_a_job_fair():
    """40 talents whose 3 slots all fit 3 popular jobs; each is also a slightly weaker match for 1 of 4 urgent jobs."""
    rng = np.random.default_rng(7)
    rows = {f"P{j}": (20.0, 2.0, f"E-P{j}", f"热门{j}") for j in range(3)}
    rows |= {f"U{j}": (2.0, 4.0 + j % 2, f"E-U{j}", f"急需{j}") for j in range(4)}
    rows |= {f"O{j}": (np.nan, np.nan, None, f"普通{j}") for j in range(3)}
    pairs = _pairs([(f"T{t}", job, round(float(score), 4)) for t in range(40) for job, score in [
        *((f"P{j}", rng.uniform(0.75, 0.95)) for j in range(3)), (f"U{t % 4}", rng.uniform(0.6, 0.75)),
        *((f"O{j}", rng.uniform(0.1, 0.6)) for j in range(3))]])
    limits = ScheduleLimits()
    flow, greedy = schedule_interviews(pairs, _jobs(rows), limits), greedy_schedule(pairs, _jobs(rows), limits)
    assert greedy.summary["urgent_covered"] == 0
    assert flow.summary["urgent_positions"] == 4
    assert flow.summary["urgent_covered"] == flow.summary["urgent_filled"] == 4
    assert flow.summary["interviews"] == greedy.summary["interviews"] == 120


@pytest.mark.parametrize("solver", SOLVERS)
def test_negative_scores_are_never_forced_in(solver):
    jobs = _jobs({"J1": (5.0, 5.0, "E1", "甲"), "J2": (5.0, 1.0, "E2", "乙")})
    pairs = _pairs([("A", "J1", -0.5), ("A", "J2", -0.1), ("B", "J1", -2.0), ("B", "J2", 0.4), ("C", "J1", 0.0)])
    schedule = SOLVERS[solver](pairs, jobs, ScheduleLimits(per_talent=2))
    assert _interviews(schedule) == {("B", "J2")}
    assert schedule.summary["total_score"] == pytest.approx(0.4)
    nothing = SOLVERS[solver](pairs[pairs["score"] <= 0], jobs, ScheduleLimits())
    assert nothing.summary["interviews"] == 0 and nothing.assignments.empty


def test_a_large_bonus_does_not_pull_in_a_negative_pair():
    jobs = _jobs({"U": (1.0, 5.0, "E1", "甲")})
    schedule = schedule_interviews(_pairs([("A", "U", -0.01), ("B", "U", -3.0)]), jobs, urgent_bonus=100)
    assert schedule.assignments.empty and schedule.summary["urgent_covered"] == 0


def test_booth_slots_cap_an_employer_across_its_jobs():
    jobs = _jobs({"J1": (5.0, 1.0, "E1", "甲"), "J2": (5.0, 1.0, "E1", "甲"), "J3": (5.0, 1.0, "E2", "乙")})
    pairs = _pairs([(f"T{t}", job, 1.0 + t / 100) for t in range(6) for job in ("J1", "J2", "J3")])
    schedule = schedule_interviews(pairs, jobs, ScheduleLimits(per_talent=3, employer_slots={"E1": 4}))
    per_booth = schedule.assignments.groupby("employer").size().to_dict()
    assert per_booth == {"E1": 4, "E2": 6}


def test_employer_key_is_the_id_else_the_name_else_the_job():
    jobs = _jobs({"J1": (1.0, 1.0, "E1", "甲"), "J2": (1.0, 1.0, None, "乙"), "J3": (1.0, 1.0, " ", None)})
    assert employer_keys(jobs).to_dict() == {"J1": "E1", "J2": "乙", "J3": "J3"}


def test_a_pair_naming_an_unknown_job_is_an_error():
    jobs = _jobs({"J1": (1.0, 1.0, "E1", "甲")})
    with pytest.raises(ValueError, match="J-GONE"):
        schedule_interviews(_pairs([("A", "J1", 0.5), ("A", "J-GONE", 0.4)]), jobs)


@pytest.mark.parametrize(("pairs", "message"), [
    ([("A", "J1", 0.5), ("A", "J1", 0.4)], "paired more than once"),
    ([("A", "J1", float("nan"))], "finite"),
])
def test_bad_pairs_are_errors_naming_the_row(pairs, message):
    with pytest.raises(ValueError, match=message):
        greedy_schedule(_pairs(pairs), _jobs({"J1": (1.0, 1.0, "E1", "甲")}))


@pytest.mark.parametrize("limits", [
    {"per_talent": 0}, {"per_talent": 1.5}, {"per_talent": True}, {"per_job_factor": 0}, {"per_job_factor": math.inf},
    {"employer_slots": -1}, {"employer_slots": {"E1": -2}}, {"employer_slots": 2.5},
])
def test_bad_limits_are_errors(limits):
    with pytest.raises(ValueError, match=next(iter(limits))):
        ScheduleLimits(**limits)


def test_a_negative_urgent_bonus_is_an_error():
    pairs, jobs, _ = _starving()
    with pytest.raises(ValueError, match="urgent_bonus"):
        schedule_interviews(pairs, jobs, urgent_bonus=-1)


def test_read_pairs_keeps_ids_as_text_and_skips_the_other_columns(tmp_path):
    path = tmp_path / "talent_top.csv"
    path.write_text('talent_id,job_id,rank,score,reasons\nNA,007,1,0.25,"学历匹配，城市一致"\nT2,J1,1,-1.5,\n',
                    encoding="utf-8")
    pairs = read_pairs(path)
    assert list(pairs.columns) == ["talent_id", "job_id", "score"]
    assert pairs.to_dict("list") == {"talent_id": ["NA", "T2"], "job_id": ["007", "J1"], "score": [0.25, -1.5]}
    (tmp_path / "bad.csv").write_text("talent_id,job_id\nT1,J1\n", encoding="utf-8")
    with pytest.raises(ValueError, match="bad.csv"):
        read_pairs(tmp_path / "bad.csv")


def test_an_event_whose_pairs_all_count_uses_their_arrays_without_copying():
    """A province's pairs are read once: a solver's event points at them instead of a copy (~0.3 GB at 17M)."""
    pairs, jobs, limits = _random_event(3)
    coded = PairCodes.of(pairs[pairs["score"] > 0.01])
    event = prepare_event(coded, jobs, limits)
    assert event.score is coded.score and len(event.score) == len(coded.score)
    some = PairCodes.of(pairs)  # rows scoring ≤ 0 are dropped: a copy of the rest
    assert len(prepare_event(some, jobs, limits).score) == int((np.rint(some.score * SCORE_SCALE) > 0).sum())
