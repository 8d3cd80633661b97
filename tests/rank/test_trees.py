"""The compiled tree walk: hand-built splits with known routes, and LightGBM's own leaves on trained models."""
from __future__ import annotations

import lightgbm as lgb
import numpy as np
import pytest

from matcher.rank.attribution import PathAttribution
from matcher.rank.trees import TreeWalk
from matcher.rank.walk_check import probe_rows, walk_disagreement

NAN = float("nan")


def split(feature: int, threshold: object, left: dict, right: dict, *, decision: str = "<=", default_left: bool = True,
          missing: str = "None") -> dict:
    return {"split_feature": feature, "threshold": threshold, "decision_type": decision, "default_left": default_left,
            "missing_type": missing, "left_child": left, "right_child": right}


def leaf(index: int) -> dict:
    return {"leaf_index": index}


def walk_one(node: dict, values: list[float]) -> list[int]:
    """The leaf one tree sends each single-feature row to."""
    walk = TreeWalk.of([{"tree_structure": node}])
    return walk.leaves(np.array(values, dtype=np.float64).reshape(-1, 1))[:, 0].tolist()


def test_numerical_splits_send_values_up_to_the_threshold_left():
    assert walk_one(split(0, 1.5, leaf(0), leaf(1)), [1.0, 1.5, 1.6, -7.0]) == [0, 0, 1, 0]


@pytest.mark.parametrize(("missing", "default_left", "expected"), [
    # NaN, 0.0, 1e-36 (read as zero), 2.0; threshold 1.0
    ("None", False, [0, 0, 0, 1]),  # no missing values: NaN is read as 0.0
    ("NaN", True, [0, 0, 0, 1]),
    ("NaN", False, [1, 0, 0, 1]),  # NaN takes the default side, zero does not
    ("Zero", False, [1, 1, 1, 1]),  # NaN is zero, and zero takes the default side
    ("Zero", True, [0, 0, 0, 1]),
])
def test_missing_values_follow_the_split_s_missing_type(missing, default_left, expected):
    node = split(0, 1.0, leaf(0), leaf(1), default_left=default_left, missing=missing)
    assert walk_one(node, [NAN, 0.0, 1e-36, 2.0]) == expected


def test_categorical_splits_send_listed_categories_left():
    node = split(0, "1||3||40", leaf(0), leaf(1), decision="==")
    values = [1.0, 3.0, 40.0, 3.9, 0.0, 2.0, 64.0, -2.0, NAN, 1e12, -0.5]
    # 3.9 is category 3 (truncated); -0.5 truncates to category 0; negatives and NaN go right
    assert walk_one(node, values) == [0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1]


def test_nested_trees_number_leaves_within_each_tree():
    deep = split(0, 0.0, leaf(0), split(1, 5.0, leaf(1), leaf(2)))
    walk = TreeWalk.of([{"tree_structure": deep}, {"tree_structure": leaf(0)}])
    rows = np.array([[-1.0, 9.0], [1.0, 4.0], [1.0, 6.0]])
    assert walk.leaves(rows).tolist() == [[0, 0], [1, 0], [2, 0]]


def test_an_unknown_decision_type_is_refused():
    with pytest.raises(ValueError, match="decision type"):
        TreeWalk.of([{"tree_structure": split(0, 1.0, leaf(0), leaf(1), decision="<")}])


def _trained(zero_as_missing: bool) -> lgb.Booster:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(3000, 5))
    x[:, 1] = rng.integers(0, 40, len(x))  # a categorical feature
    x[rng.random(x.shape) < 0.15] = np.nan
    x[rng.random(x.shape) < 0.1] = 0.0
    y = np.nan_to_num(x[:, 0]) + (np.nan_to_num(x[:, 1]) % 3 == 0) + np.nan_to_num(x[:, 2]) * 0.5
    params = {"objective": "regression", "num_leaves": 15, "min_data_per_group": 5, "cat_smooth": 1.0,
              "zero_as_missing": zero_as_missing, "verbose": -1}
    return lgb.train(params, lgb.Dataset(x, y, categorical_feature=[1]), num_boost_round=30)


@pytest.mark.parametrize("zero_as_missing", [False, True])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_every_leaf_is_lightgbm_s(zero_as_missing, dtype):
    booster = _trained(zero_as_missing)
    walk = TreeWalk.of(booster.dump_model()["tree_info"])
    assert (walk.flags & 1).any()  # categorical splits were made
    rng = np.random.default_rng(1)
    rows = rng.normal(size=(5000, 5)) * 3
    rows[:, 1] = rng.choice([-3.0, -0.5, 0.0, 0.7, 1.0, 2.0, 5.0, 39.0, 45.0, 100.0, 2.5, 1e10], len(rows))
    for value, share in ((NAN, 0.2), (0.0, 0.1), (1e-36, 0.05), (-1e-36, 0.05)):
        rows[rng.random(rows.shape) < share] = value
    rows = rows.astype(dtype)
    expected = booster.predict(rows, pred_leaf=True).astype(np.int64)
    np.testing.assert_array_equal(walk.leaves(rows), expected)


def test_values_at_lightgbm_s_zero_threshold_are_zero():
    """LightGBM reads |value| <= 1e-35f (a float: 1.0000000180025095e-35) as zero, and puts thresholds on that
    very number: a value on it is zero, so it goes right of a split at minus it."""
    zero = float(np.float32(1e-35))
    assert walk_one(split(0, -zero, leaf(0), leaf(1)), [-zero, -1e-35, -2e-35, zero]) == [1, 1, 0, 1]


def test_a_split_of_numbers_from_nan_keeps_its_infinite_threshold():
    """LightGBM splits NaN from every number at threshold inf, which dump_model writes as 1e300: numbers above
    1e300, and inf itself, still go with the numbers."""
    rng = np.random.default_rng(0)
    x = rng.normal(size=(400, 2))
    x[:200, 0] = np.nan
    params = {"objective": "regression", "num_leaves": 2, "min_data_in_leaf": 5, "verbose": -1}
    booster = lgb.train(params, lgb.Dataset(x, np.isnan(x[:, 0]) * 3.0 + x[:, 1]), num_boost_round=1)
    assert booster.dump_model()["tree_info"][0]["tree_structure"]["threshold"] == 1e300
    rows = np.array([[np.inf, 0], [1e301, 0], [-np.inf, 0], [NAN, 0], [5.0, 0]])
    walk = TreeWalk.of(booster.dump_model()["tree_info"])
    assert walk.threshold[0] == np.inf
    np.testing.assert_array_equal(walk.leaves(rows), booster.predict(rows, pred_leaf=True).astype(np.int64))


@pytest.mark.parametrize("zero_as_missing", [False, True])
def test_rows_on_every_threshold_reach_lightgbm_s_leaves(zero_as_missing):
    booster = _trained(zero_as_missing)
    attribution = PathAttribution.of(booster)
    rows = probe_rows(attribution.walk, booster.num_feature(), n_rows=5000, seed=1)
    assert walk_disagreement(attribution, booster, rows) is None
