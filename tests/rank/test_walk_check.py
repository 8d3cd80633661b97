"""The two ranker paths (compiled walk; LightGBM's predict) give the same floats, and a ranker whose compiled walk
disagrees with LightGBM is refused on load."""
from __future__ import annotations

import dataclasses

import lightgbm as lgb
import numpy as np
import pytest

from matcher.rank.attribution import PathAttribution
from matcher.rank.features import FEATURE_COLUMNS
from matcher.rank.registry import LoadedRanker, RankerMismatchError, RankerRegistry, RankerWalkMismatchError
from matcher.rank.scoring import contribution_values, scores_and_leaves
from matcher.rank.trees import TreeWalk
from matcher.rank.walk_check import PROBE_ROWS, probe_rows, walk_disagreement
from matcher.training.fit import train_ranker
from tests.rank.test_train_registry import synthetic_groups


@pytest.fixture(scope="module")
def booster() -> lgb.Booster:
    return train_ranker(synthetic_groups(200, 20, seed=11), seed=3).booster


@pytest.fixture(scope="module")
def categorical_booster() -> lgb.Booster:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(2000, 3))
    x[:, 1] = rng.integers(0, 40, len(x))
    x[rng.random(x.shape) < 0.1] = np.nan
    y = np.nan_to_num(x[:, 0]) + (np.nan_to_num(x[:, 1]) % 3 == 0)
    params = {"objective": "regression", "num_leaves": 7, "min_data_per_group": 5, "cat_smooth": 1.0, "verbose": -1}
    return lgb.train(params, lgb.Dataset(x, y, categorical_feature=[1]), num_boost_round=10)


def _rows(n: int, seed: int) -> np.ndarray:
    matrix = synthetic_groups(n // 20, 20, seed=seed)[list(FEATURE_COLUMNS)].to_numpy(dtype=np.float32)
    matrix[::7, 2] = np.nan
    return matrix


def test_both_paths_give_the_same_scores_leaves_and_contributions(booster):
    native, reference = (LoadedRanker("v", booster, {}, native=flag) for flag in (True, False))
    matrix = _rows(2000, seed=12)
    native_scores, native_leaves = native.score_leaves(matrix)
    reference_scores, reference_leaves = reference.score_leaves(matrix)
    assert reference_leaves is None  # LightGBM's predict scores; leaves only for the rows explained
    np.testing.assert_array_equal(native_scores, reference_scores)
    np.testing.assert_array_equal(native_leaves, reference.leaves(matrix))
    np.testing.assert_array_equal(native.contribution_matrix(matrix), reference.contribution_matrix(matrix))

    def explained(ranker: LoadedRanker) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """As the ranking path explains: every row's score, the best 200, their contributions."""
        score, leaves = scores_and_leaves(matrix, ranker)
        shown = np.argsort(-score, kind="stable")[:200]
        return score, shown, contribution_values(matrix[shown], ranker, None if leaves is None else leaves[shown])[0]

    for a, b in zip(explained(native), explained(reference), strict=True):
        np.testing.assert_array_equal(a, b)


def test_probe_rows_sit_on_both_sides_of_each_split():
    """A stump on feature 1 at threshold t: its values are t, the float after t, zero, ±inf or NaN, and the 64
    rows reach both leaves; a feature no tree splits on is only ever zero, ±inf or NaN."""
    x = np.zeros((40, 3))
    x[30:, 1] = 2.0
    params = {"objective": "regression", "num_leaves": 2, "min_data_in_leaf": 5, "min_data_in_bin": 1, "verbose": -1}
    stump = lgb.train(params, lgb.Dataset(x, np.where(x[:, 1] > 1, 3.0, -1.0)), num_boost_round=1)
    walk = TreeWalk.of(stump.dump_model()["tree_info"])
    t = float(walk.threshold[0])
    rows = probe_rows(walk, 3)
    assert rows.shape == (PROBE_ROWS, 3)
    numbers = rows[:, 1][np.isfinite(rows[:, 1])]
    assert set(numbers.tolist()) == {0.0, t, float(np.nextafter(t, np.inf))}
    assert np.isnan(rows[:, 1]).any() and np.isinf(rows[:, 1]).any() and set(walk.leaves(rows)[:, 0]) == {0, 1}
    assert set(np.unique(np.nan_to_num(rows[:, [0, 2]], nan=0.0, posinf=0.0, neginf=0.0))) == {0.0}


def test_probe_rows_draw_categories_from_the_categorical_splits(categorical_booster):
    walk = TreeWalk.of(categorical_booster.dump_model()["tree_info"])
    assert walk.categorical.any()
    values = set(probe_rows(walk, 3, n_rows=512)[:, 1].tolist())
    chosen = {int(c) for tree in categorical_booster.dump_model()["tree_info"]
              for c in _categories(tree["tree_structure"])}
    assert chosen and chosen <= values
    attribution = PathAttribution.of(categorical_booster)
    assert walk_disagreement(attribution, categorical_booster, probe_rows(walk, 3)) is None


def _categories(node: dict) -> list[str]:
    if "split_feature" not in node:
        return []
    own = str(node["threshold"]).split("||") if node["decision_type"] == "==" else []
    return own + _categories(node["left_child"]) + _categories(node["right_child"])


def _nudged(walk: TreeWalk) -> TreeWalk:
    """The walk with its first split's threshold one float lower: only a value exactly on it goes the other way."""
    threshold = walk.threshold.copy()
    threshold[0] = np.nextafter(threshold[0], -np.inf)
    return dataclasses.replace(walk, threshold=threshold)


def test_a_threshold_one_float_off_is_found_by_the_probe_not_by_random_rows(booster):
    attribution = PathAttribution.of(booster)
    assert walk_disagreement(attribution, booster, probe_rows(attribution.walk, booster.num_feature())) is None
    wrong = dataclasses.replace(attribution, walk=_nudged(attribution.walk))
    message = walk_disagreement(wrong, booster, probe_rows(wrong.walk, booster.num_feature()))
    assert message and "probe rows" in message and lgb.__version__ in message
    random_rows = np.random.default_rng(0).normal(size=(PROBE_ROWS, booster.num_feature()))
    assert walk_disagreement(wrong, booster, random_rows) is None


def test_a_ranker_whose_walk_disagrees_is_refused_on_load(booster, tmp_path, monkeypatch):
    registry = RankerRegistry(tmp_path)
    version = registry.save("recommend", booster, {})
    registry.activate("recommend", version)
    assert registry.load("recommend", version).version == version  # the true walk passes
    original = TreeWalk.of.__func__
    monkeypatch.setattr(TreeWalk, "of", classmethod(lambda cls, trees: _nudged(original(cls, trees))))
    with pytest.raises(RankerWalkMismatchError, match=f"recommend/{version}.*MATCHER_NATIVE=0"):
        RankerRegistry(tmp_path).load("recommend", version)
    assert issubclass(RankerWalkMismatchError, RankerMismatchError)
    assert RankerRegistry(tmp_path).active_or_none("recommend") is None  # served by the rule score instead
    served = RankerRegistry(tmp_path, native=False).active("recommend")  # LightGBM's predict needs no walk
    matrix = _rows(200, seed=13)
    np.testing.assert_array_equal(served.score_leaves(matrix)[0], booster.predict(matrix))
