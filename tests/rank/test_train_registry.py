"""Training beats the rule score on a learnable interaction; the registry refuses a worse model."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from matcher.rank.features import FEATURE_COLUMNS
from matcher.rank.metrics import evaluate_ranking
from matcher.rank.registry import LoadedRanker, RankerMismatchError, RankerRegistry
from matcher.rank.rules import RULE_WEIGHTS, rule_score
from matcher.rank.scoring import contribution_values, scores_and_leaves
from matcher.training.fit import MONOTONE_FEATURES, split_queries, train_ranker


def synthetic_groups(n_queries: int, per_query: int, seed: int) -> pd.DataFrame:
    """Relevance depends on an interaction the rule score ignores: living in the job's city helps older talents
    and hurts younger ones (an unconstrained feature: hometown may only ever help, see MONOTONE_FEATURES)."""
    rng = np.random.default_rng(seed)
    n = n_queries * per_query
    frame = pd.DataFrame({c: rng.normal(size=n) for c in FEATURE_COLUMNS})
    frame["current_city_same"] = rng.integers(0, 4, n)
    frame["age"] = rng.integers(22, 60, n)
    frame["cert_held"] = rng.integers(0, 2, n)
    frame["cert_meets_level"] = frame["cert_held"] * rng.integers(0, 2, n)
    frame["talent_category"] = rng.integers(0, 7, n)
    fit = np.where(frame["age"] > 40, frame["current_city_same"], -frame["current_city_same"]) \
        + 2 * frame["cert_meets_level"] + rng.normal(scale=0.5, size=n)
    frame["label"] = np.digitize(fit, [1.5, 3.0, 4.0])
    frame["query"] = np.repeat(np.arange(n_queries), per_query)
    return frame


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    return synthetic_groups(400, 20, seed=7)


@pytest.fixture(scope="module")
def seed2_booster(data):
    """One ranker for the tests that only need some trained ranker (trained once: both paths use it)."""
    return train_ranker(data, seed=2).booster


@pytest.fixture(scope="module")
def good_and_bad(data):
    """A ranker trained on the labels and one trained on shuffled labels, on the same query split."""
    split = split_queries(data, seed=1)
    good = train_ranker(data, seed=1, split=split)
    shuffled = data.assign(label=np.random.default_rng(3).permutation(data["label"].to_numpy()))
    return split, good, train_ranker(shuffled, seed=1, split=split)


def test_ranker_beats_rule_score_on_held_out_queries(data):
    split = split_queries(data, seed=1)
    result = train_ranker(data, seed=1, split=split)
    test = data[data["query"].isin(split.test)]
    rule = evaluate_ranking(test.assign(score=rule_score(test)))
    assert set(split.train).isdisjoint(split.test) and set(split.valid).isdisjoint(split.test)
    assert result.metrics["ranker"]["ndcg@10"] > rule["ndcg@10"] + 0.05


def test_registry_keeps_but_does_not_activate_a_worse_model(data, good_and_bad, tmp_path, native):
    registry = RankerRegistry(tmp_path, native=native)
    split, good, bad = good_and_bad
    held_out = data[data["query"].isin(split.test)]
    v_good = registry.save("recommend", good.booster, {"metrics": good.metrics})
    assert registry.promote_if_better("recommend", v_good, held_out)["activated"]
    v_bad = registry.save("recommend", bad.booster, {"metrics": bad.metrics})
    outcome = registry.promote_if_better("recommend", v_bad, held_out)
    assert not outcome["activated"] and registry.active("recommend").version == v_good
    assert (tmp_path / "recommend" / v_bad / "model.txt").exists()


def test_registry_refuses_a_model_with_other_features(seed2_booster, tmp_path, native):
    registry = RankerRegistry(tmp_path, native=native)
    version = registry.save("candidates", seed2_booster, {})
    manifest = tmp_path / "candidates" / version / "manifest.json"
    manifest.write_text(manifest.read_text().replace('"age"', '"gender"'))
    with pytest.raises(RankerMismatchError, match="retrain"):
        registry.load("candidates", version)


def test_a_stale_active_ranker_falls_back_to_the_rule_score_and_is_replaced(data, tmp_path):
    registry = RankerRegistry(tmp_path)
    split = split_queries(data, seed=1)
    version = registry.save("recommend", train_ranker(data, seed=1, split=split).booster, {})
    registry.activate("recommend", version)
    manifest = tmp_path / "recommend" / version / "manifest.json"
    manifest.write_text(manifest.read_text().replace('"age"', '"gender"'))
    assert registry.active_or_none("recommend") is None
    fresh = registry.save("recommend", train_ranker(data, seed=2, split=split).booster, {})
    held_out = data[data["query"].isin(split.test)]
    assert registry.promote_if_better("recommend", fresh, held_out)["activated"]


def test_one_pass_scores_and_contributions_equal_the_separate_calls(data, seed2_booster, native):
    """The ranking path's one-pass scoring (leaves → scores, then the shown rows' contributions from their leaves)
    against predict and the separate contribution call, and the rule score's path before any ranker exists."""
    ranker = LoadedRanker("v", seed2_booster, {}, native=native)
    matrix = data[list(FEATURE_COLUMNS)].to_numpy(dtype=np.float32)[:300]
    matrix[::5, 3] = np.nan
    score, leaves = scores_and_leaves(matrix, ranker)
    expected = ranker.score_matrix(matrix)
    np.testing.assert_array_equal(score, expected)
    assert (leaves is not None) == native  # LightGBM's predict gives no leaves
    shown = np.argsort(-expected, kind="stable")[:10]
    contributions, names = contribution_values(matrix[shown], ranker, None if leaves is None else leaves[shown])
    np.testing.assert_array_equal(contributions, ranker.contribution_matrix(matrix[shown]))
    assert names == FEATURE_COLUMNS
    rule, all_terms = scores_and_leaves(matrix, None)
    np.testing.assert_array_equal(rule, rule_score(matrix))
    terms, rule_names = contribution_values(matrix[:4], None)
    assert terms.shape == (4, len(rule_names)) and rule_names == tuple(RULE_WEIGHTS)
    np.testing.assert_array_equal(contribution_values(matrix[shown], None, all_terms[shown])[0],
                                  contribution_values(matrix[shown], None)[0])
    # A query none of whose candidates fits shows no rows: no contributions, on either path (predict refuses 0 rows).
    assert contribution_values(matrix[:0], ranker)[0].shape == (0, len(FEATURE_COLUMNS))
    assert contribution_values(matrix[:0], None)[0].shape == (0, len(RULE_WEIGHTS))


def test_outcomes_cannot_teach_the_ranker_that_more_fit_is_worse(data):
    """Outcomes where more shared skills and a closer hometown go with worse labels (a biased history):
    the ranker's score still never falls as either rises, every other feature held."""
    inverted = data.assign(hometown_level=np.random.default_rng(3).integers(0, 4, len(data)))
    inverted["label"] = np.digitize(-(inverted["skill_overlap"] + inverted["hometown_level"]), [-2.0, -0.5, 1.0])
    booster = train_ranker(inverted, seed=2).booster
    rows = inverted[list(FEATURE_COLUMNS)].head(200)
    for feature in ("skill_overlap", "hometown_level"):
        assert MONOTONE_FEATURES[feature] == 1
        low, high = rows.assign(**{feature: 0.0}), rows.assign(**{feature: 3.0})
        assert (booster.predict(high) >= booster.predict(low) - 1e-9).all(), feature
