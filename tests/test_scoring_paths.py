"""Settings.native on the demo world end to end: a Matcher opened with the compiled kernels and one opened with the
plain path (scipy + numpy BM25, LightGBM's predict) over the same data dir give the same lists, scores and
explanations, with rankers trained on the demo's outcome events."""
from __future__ import annotations

import numpy as np
import pytest

from matcher.cli import main
from matcher.config import Settings
from matcher.pipeline import Matcher
from matcher.rank import ranking
from matcher.rank.registry import LoadedRanker
from matcher.rank.scoring import contribution_values

TOP = 200


@pytest.fixture(scope="module")
def demo_settings(tmp_path_factory: pytest.TempPathFactory, tiny_model_dir) -> Settings:
    """A data dir prepared as ``matcher run`` prepares one: 400 demo talents, 243 jobs, both rankers trained."""
    settings = Settings(data_dir=tmp_path_factory.mktemp("demo"), model_path=tiny_model_dir, native=True)
    assert main(["run", "--no-serve", "--demo-talents", "400", "--seed", "3"], settings=settings) == 0
    return settings


@pytest.fixture(scope="module")
def matchers(demo_settings: Settings) -> tuple[Matcher, Matcher]:
    native = Matcher.open(demo_settings)
    reference = Matcher.open(demo_settings.model_copy(update={"native": False}))
    assert all(native.rankers.values()) and all(reference.rankers.values())  # rankers, not the rule score
    assert all(r.native for r in native.rankers.values()) and not any(r.native for r in reference.rankers.values())
    assert native.jobs.pool.sparse.native and not reference.jobs.pool.sparse.native
    return native, reference


def test_bm25_top_200_are_the_same_on_both_paths(matchers, monkeypatch):
    monkeypatch.setattr("matcher.index.sparse._SORT_WHOLE_ROWS", 0)  # 400 talents: per-row top-k, as at scale
    native, reference = matchers
    job_texts = [native.jobs.texts[j] for j in native.jobs.frame.index]
    native_ids, native_scores = native.talents.pool.sparse.search(job_texts, TOP)
    reference_ids, reference_scores = reference.talents.pool.sparse.search(job_texts, TOP)
    assert (native_ids == reference_ids).all() and (native_ids[:, 0] != None).all()  # noqa: E711
    np.testing.assert_array_equal(native_scores, reference_scores)


def test_matches_scores_and_explanations_are_the_same_on_both_paths(matchers, monkeypatch):
    """Every job's candidates and 100 talents' recommendations; and every feature matrix the native Matcher
    ranked, scored and explained again by the other path's ranker."""
    native, reference = matchers
    ranked: list[tuple[np.ndarray, LoadedRanker]] = []
    original = ranking.scores_and_leaves
    monkeypatch.setattr(ranking, "scores_and_leaves", lambda m, r: ranked.append((m, r)) or original(m, r))
    job_ids, talent_ids = list(native.jobs.frame.index), list(native.talents.frame.index[:100])
    for ask in (lambda m: m.candidates(job_ids, top=TOP), lambda m: m.recommend(talent_ids, top=TOP)):
        native_lists, reference_lists = ask(native), ask(reference)
        assert native_lists == reference_lists  # ids, ranks, rounded scores, reasons, contributions, scorer
        assert sum(len(matches) for matches in native_lists.values()) > TOP
    assert len(ranked) == 4  # each ask is one batch through the ranking path, on each Matcher
    others = {id(native.rankers[d]): reference.rankers[d] for d in native.rankers}
    for matrix, ranker in [(m, r) for m, r in ranked if r.native]:  # the native Matcher's calls
        (score, leaves), (their_score, their_leaves) = original(matrix, ranker), original(matrix, others[id(ranker)])
        np.testing.assert_allclose(score, their_score, rtol=0, atol=1e-5)
        shown = np.argsort(-score, kind="stable")[:TOP]
        ours, names = contribution_values(matrix[shown], ranker, leaves[shown])
        theirs, their_names = contribution_values(matrix[shown], others[id(ranker)], None)
        assert names == their_names and their_leaves is None
        np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-5)
