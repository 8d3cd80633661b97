"""Outcome events: valid kinds and funnel order, the certificate rule, one hire per talent, signal."""
from __future__ import annotations

import numpy as np
import pandas as pd

from matcher.demo import EVENT_COLUMNS, EVENT_KINDS, generate_events


def _pairs(events: pd.DataFrame, talents: pd.DataFrame, jobs: pd.DataFrame, kind: str) -> pd.DataFrame:
    chosen = events[events.kind == kind].astype({"talent_id": str, "job_id": str})
    return (chosen.merge(talents, on="talent_id", suffixes=("", "_talent"))
            .merge(jobs, on="job_id", suffixes=("_talent", "_job")))


def _holds_required(pairs: pd.DataFrame) -> pd.Series:
    """The generator's truth, read directly: a held certificate of the job's family at its grade or above."""
    family, grade = pairs.truth_cert_family, pairs.truth_cert_grade
    first = (pairs.truth_cert1_family == family) & (pairs.truth_cert1_grade >= grade)
    second = (pairs.truth_cert2_family == family) & (pairs.truth_cert2_grade >= grade)
    return first | second


def test_events_have_valid_columns_kinds_and_ids(events: pd.DataFrame, talents: pd.DataFrame,
                                                 jobs: pd.DataFrame) -> None:
    assert list(events.columns) == list(EVENT_COLUMNS)
    assert set(events.kind.astype(str)) == set(EVENT_KINDS)
    assert set(events.talent_id.astype(str)) <= set(talents.talent_id)
    assert set(events.job_id.astype(str)) <= set(jobs.job_id)
    assert events.occurred_at.between(pd.Timestamp("2023-01-01"), pd.Timestamp("2023-07-01")).all()


def test_lacking_the_required_certificate_level_is_never_hired(events: pd.DataFrame, talents: pd.DataFrame,
                                                               jobs: pd.DataFrame) -> None:
    hired = _pairs(events, talents, jobs, "hired")
    required = hired[hired.truth_cert_required]
    assert len(required) > 20  # the rule is exercised, not vacuous
    assert _holds_required(required).all()
    applied = _pairs(events, talents, jobs, "applied")
    lacking = applied[applied.truth_cert_required & ~_holds_required(applied)]
    assert len(lacking) > 20  # such candidates do apply; they just never get the job


def test_funnel_order_and_one_hire_per_talent(events: pd.DataFrame) -> None:
    stage = events.assign(kind=events.kind.astype(str)).pivot_table(
        index=["talent_id", "job_id"], columns="kind", values="occurred_at", aggfunc="min", observed=True)
    hired = stage[stage.hired.notna()]
    assert (hired.viewed < hired.applied).all() and (hired.applied < hired.interviewed).all()
    assert (hired.interviewed < hired.hired).all()
    assert stage.applied[stage.applied.notna()].index.isin(stage.viewed.dropna().index).all()
    assert not events[events.kind == "hired"].talent_id.duplicated().any()
    assert not (stage.hired.notna() & stage.rejected.notna()).any()


def test_hires_reward_occupation_match(events: pd.DataFrame, talents: pd.DataFrame,
                                       jobs: pd.DataFrame) -> None:
    viewed = _pairs(events, talents, jobs, "viewed")
    hired = _pairs(events, talents, jobs, "hired")
    same_viewed = (viewed.truth_template_talent == viewed.truth_template_job).mean()
    same_hired = (hired.truth_template_talent == hired.truth_template_job).mean()
    assert same_hired > same_viewed + 0.2


def test_events_are_deterministic_per_seed_and_chunk(talents: pd.DataFrame, jobs: pd.DataFrame) -> None:
    few = talents.head(300)
    pd.testing.assert_frame_equal(generate_events(few, jobs, 1), generate_events(few, jobs, 1))
    assert not np.array_equal(generate_events(few, jobs, 1, chunk_index=1).occurred_at,
                              generate_events(few, jobs, 1).occurred_at)
