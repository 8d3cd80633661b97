"""The one ranking path: a batch of queries ranks as its queries one at a time do, in both directions; ties keep
the fused order; the floor, the shortfall and ``within`` on the tiny pipeline world with known answers."""
from __future__ import annotations

import numpy as np
import pytest

from matcher.pipeline import Matcher
from matcher.rank.ranking import Queries, rank_batch, rank_found
from matcher.retrieve.filters import RetrievalFilters
from matcher.retrieve.fusion import CANDIDATE_ID, QUERY

IN_LUOYANG = RetrievalFilters(region_codes=("410300",))
"""Leaves the welder one job, the accountant's, which his work does not fit."""


@pytest.fixture(scope="module")
def matcher(pipeline_settings) -> Matcher:
    return Matcher.open(pipeline_settings)


def as_plain(matches) -> tuple:
    return [m.to_dict() for m in matches], matches.missing, matches.fitting


@pytest.mark.parametrize("floor", [True, False])
def test_a_batch_ranks_as_its_queries_one_at_a_time(matcher, floor):
    matcher.relevance_floor = floor
    try:
        for ask, ids in ((matcher.recommend, list(matcher.talents.frame.index)),
                         (matcher.candidates, list(matcher.jobs.frame.index))):
            together = ask(ids, top=4)
            assert list(together) == ids and sum(map(len, together.values())) > len(ids)
            for one in ids:
                assert as_plain(ask([one], top=4)[one]) == as_plain(together[one])
    finally:
        matcher.relevance_floor = True


def test_equal_scores_keep_the_fused_order(matcher):
    """Three copies of one pair score alike: they stay in fused order, ranked 1, 2, 3, in a batch of two queries
    (the second query's pair ranked on its own)."""
    talents = matcher.talent_profile_table
    queries = Queries(["", ""], np.zeros((2, 1), dtype=np.float32), talents, talents.positions(["T-WELDER"] * 2))
    found = {QUERY: np.array([0, 0, 0, 1]), CANDIDATE_ID: np.array(["J-WELD-SS"] * 4, dtype=object),
             "dense_score": np.full(4, 0.9), "dense_rank": np.array([1.0, 1, 1, 1]),
             "sparse_score": np.full(4, 30.0), "sparse_rank": np.full(4, 1.0), "fused_score": np.full(4, 0.03),
             "fused_rank": np.array([1, 2, 3, 1])}
    ranked = rank_found("recommend", queries, matcher.job_side(), found, top=10, explain=True)
    assert ranked.query.tolist() == [0, 0, 0, 1] and ranked.rank.tolist() == [1, 2, 3, 1]
    assert ranked.retrieval["fused_rank"].tolist() == [1, 2, 3, 1]
    assert len(set(ranked.score.tolist())) == 1 and len(set(ranked.reasons)) == 1
    assert len(ranked.contributions) == 4 and ranked.missing == {}


def test_nothing_fits_says_what_is_missing_and_without_the_floor_ranks_everything(matcher):
    shortfall = matcher.recommend(["T-WELDER"], top=10, filters=IN_LUOYANG)["T-WELDER"]
    assert list(shortfall) == [] and len(shortfall.missing) == 1 and shortfall.missing[0].startswith("「")
    matcher.relevance_floor = False
    try:
        everything = matcher.recommend(["T-WELDER"], top=10, filters=IN_LUOYANG)["T-WELDER"]
    finally:
        matcher.relevance_floor = True
    assert [m.id for m in everything] == ["J-ACCT-LY"] and everything.fitting == (False,)
    assert everything.missing == ()


def test_within_keeps_only_those_candidates_before_ranking(matcher):
    profile = {"name": "某", "current_title": "焊工", "skills": "氩弧焊", "certificates": "焊工三级",
               "hometown": "周口商水"}
    everything = matcher.match_profile(profile, top=50)
    within = frozenset({"J-WELD-ZZ", "J-ACCT-LY"})
    kept = matcher.match_profile(profile, top=50, job_ids=within)
    assert [m.id for m in kept] == [m.id for m in everything if m.id in within] and len(kept)
    assert [m.rank for m in kept] == list(range(1, len(kept) + 1))


def test_an_unknown_direction_is_refused(matcher):
    talents = matcher.talent_profile_table
    queries = Queries(["焊工"], np.zeros((1, matcher.encoder.dim), dtype=np.float32), talents,
                      talents.positions(["T-WELDER"]))
    with pytest.raises(ValueError, match="direction"):
        rank_batch("sideways", queries, matcher.job_side(), top=3)
