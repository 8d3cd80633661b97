"""Path attribution: a hand-built tree's known contributions, exact sums on a trained model, SHAP's bias."""
from __future__ import annotations

import lightgbm as lgb
import numpy as np
import pytest

from matcher.rank.attribution import PathAttribution
from matcher.rank.trees import TreeWalk


@pytest.fixture(scope="module")
def stump_model() -> lgb.Booster:
    """One tree, one split on feature 1 at 0.5: 30 rows (value -1) left, 10 rows (value +3) right."""
    x = np.zeros((40, 3))
    x[30:, 1] = 1.0
    y = np.where(x[:, 1] > 0.5, 3.0, -1.0)
    params = {"objective": "regression", "learning_rate": 1.0, "num_leaves": 2, "min_data_in_leaf": 5,
              "min_data_in_bin": 1, "boost_from_average": False, "lambda_l2": 0.0, "verbose": -1}
    return lgb.train(params, lgb.Dataset(x, y), num_boost_round=1)


def test_a_split_credits_its_feature_with_the_change_in_expected_value(stump_model):
    attribution = PathAttribution.of(stump_model)
    # Expected value over the training rows: (30·-1 + 10·3) / 40 = 0.
    assert attribution.bias == pytest.approx(0.0, abs=1e-9)
    rows = np.array([[0.0, 0.0, 9.0], [5.0, 1.0, 0.0]])
    contributions = attribution.contributions(rows)
    np.testing.assert_allclose(contributions, [[0, -1, 0], [0, 3, 0]], atol=1e-9)


@pytest.fixture(scope="module")
def ranker() -> lgb.Booster:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(3000, 6))
    x[rng.random(x.shape) < 0.05] = np.nan  # missing values take the default direction
    x[:, 5] = 1.0  # constant: never split on
    relevance = (x[:, 0] > 0.3).astype(int) + (np.nan_to_num(x[:, 1]) * np.nan_to_num(x[:, 2]) > 0).astype(int)
    model = lgb.LGBMRanker(n_estimators=40, num_leaves=15, min_child_samples=20, verbose=-1)
    model.fit(x, relevance, group=[30] * 100)
    return model.booster_


def test_contributions_and_bias_add_up_to_the_score(ranker):
    rows = np.random.default_rng(1).normal(size=(200, 6))
    rows[::7, 2] = np.nan
    attribution = PathAttribution.of(ranker)
    contributions = attribution.contributions(rows)
    np.testing.assert_allclose(contributions.sum(axis=1) + attribution.bias, ranker.predict(rows), atol=1e-9)
    assert attribution.n_trees == ranker.num_trees()


def test_the_bias_is_shaps_and_the_strongest_feature_mostly_agrees(ranker):
    rows = np.random.default_rng(2).normal(size=(500, 6))
    attribution = PathAttribution.of(ranker)
    shap = ranker.predict(rows, pred_contrib=True)
    assert attribution.bias == pytest.approx(shap[0, -1], abs=1e-9)
    ours = attribution.contributions(rows)
    strongest = np.abs(ours).argmax(axis=1) == np.abs(shap[:, :-1]).argmax(axis=1)
    assert strongest.mean() > 0.8
    unused = ranker.feature_importance("split") == 0
    assert unused[5]
    assert np.all(ours[:, unused] == 0)  # features no tree splits on get nothing


def test_a_model_without_trees_explains_nothing():
    attribution = PathAttribution(table=np.zeros((0, 4)), offsets=np.zeros(0, dtype=np.int64), bias=0.0, n_trees=0,
                                  leaf_values=np.zeros(0), raw_output=True, walk=TreeWalk.of([]))
    assert attribution.contributions(np.ones((3, 4))).shape == (3, 4)
    assert attribution.scores(np.zeros((3, 0), dtype=np.int64)).tolist() == [0.0, 0.0, 0.0]


def test_scores_from_the_leaves_equal_predict_bit_for_bit(ranker):
    """One walk of the trees serves both scores and contributions on the query path: the leaf outputs added in
    tree order must give predict's very floats (a pairwise sum differs in the last bits)."""
    rows = np.random.default_rng(3).normal(size=(2000, 6)) * 3
    rows[np.random.default_rng(4).random(rows.shape) < 0.2] = np.nan
    attribution = PathAttribution.of(ranker)
    assert attribution.raw_output
    leaves = attribution.leaves(rows)
    np.testing.assert_array_equal(attribution.scores(leaves), ranker.predict(rows))
    np.testing.assert_array_equal(attribution.contributions_of(leaves[:20]),
                                  attribution.contributions(rows[:20]))


def test_a_transformed_output_is_not_taken_for_a_leaf_sum():
    x = np.random.default_rng(5).normal(size=(400, 3))
    params = {"objective": "binary", "num_leaves": 4, "verbose": -1}
    booster = lgb.train(params, lgb.Dataset(x, (x[:, 0] > 0).astype(int)), num_boost_round=5)
    assert not PathAttribution.of(booster).raw_output  # predict applies a sigmoid
