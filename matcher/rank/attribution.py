"""Per-feature contributions of a LightGBM ranker's score, from the leaf each tree sends a row to.

Path attribution (Saabas; XGBoost's ``approx_contribs``): in every tree, each split on the row's path credits its
feature with the change in the node's expected value (the mean leaf value under it, weighted by training rows) from
the node to the child the row took. Along a path these changes telescope, so a row's contributions plus the bias
(the trees' expected values, SHAP's bias too) add up to its score exactly. Depending only on the leaf reached, each
leaf's contributions are computed once when the model loads; explaining a row is then a leaf look-up
(matcher.rank.trees: LightGBM's leaves, from a compiled walk of the trees) and a sum of table rows, much cheaper
than TreeSHAP (``pred_contrib``, exact Shapley values; scripts/bench_rank.py times both). The two attribute
differently where features interact (a split's credit goes to its own feature); on the demo rankers they name the
same strongest feature for most rows (see tests/rank/test_attribution.py and the README)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import lightgbm as lgb
import numpy as np

from matcher.rank.trees import TreeWalk

RAW_OUTPUT_OBJECTIVES = frozenset({"lambdarank", "rank_xendcg", "regression", "regression_l1", "huber", "fair",
                                   "quantile", "mape"})


@dataclass(frozen=True)
class PathAttribution:
    table: np.ndarray
    """(leaves of all trees, features) contributions of reaching each leaf."""
    offsets: np.ndarray
    """(trees,) row of ``table`` where each tree's leaves start."""
    bias: float
    """Expected score over the training rows: the sum of each tree's root expected value."""
    n_trees: int
    leaf_values: np.ndarray
    """(leaves of all trees,) each leaf's output, exactly as the booster holds it (float64)."""
    raw_output: bool
    """Whether ``predict`` returns the plain sum of leaf outputs (ranking and regression objectives do; binary
    applies a sigmoid, random forests average): only then do :meth:`scores` equal it."""
    walk: TreeWalk
    """The same trees, for :meth:`leaves`."""

    @classmethod
    def of(cls, booster: lgb.Booster) -> PathAttribution:
        """The table of ``booster`` (the trees ``predict`` uses: up to the best iteration when there is one)."""
        n_features = booster.num_feature()
        rows: list[np.ndarray] = []
        offsets: list[int] = []
        bias = 0.0
        model = booster.dump_model()
        trees = model["tree_info"]
        for tree in trees:
            root = tree["tree_structure"]
            expected: dict[int, float] = {}
            _expected_values(root, expected)
            bias += expected[id(root)]
            leaves: dict[int, np.ndarray] = {}
            _leaf_contributions(root, np.zeros(n_features), expected, leaves)
            offsets.append(len(rows))
            rows.extend(leaves[index] for index in range(len(leaves)))
        table = np.vstack(rows) if rows else np.zeros((0, n_features))
        leaf_values = np.array([booster.get_leaf_output(t, leaf) for t, tree in enumerate(trees)
                                for leaf in range(tree["num_leaves"])], dtype=np.float64)
        raw = model.get("objective", "").split(" ")[0] in RAW_OUTPUT_OBJECTIVES and not model.get("average_output")
        return cls(table=table, offsets=np.asarray(offsets, dtype=np.int64), bias=bias, n_trees=len(trees),
                   leaf_values=leaf_values, raw_output=raw, walk=TreeWalk.of(trees))

    def leaves(self, matrix: np.ndarray) -> np.ndarray:
        """(n, trees) row of ``table`` (and of ``leaf_values``) of the leaf each tree sends each row to: what
        ``booster.predict(matrix, pred_leaf=True)`` gives, offset by each tree's first row."""
        return self.walk.leaves(matrix) + self.offsets

    def scores(self, leaves: np.ndarray) -> np.ndarray:
        """(n,) scores of rows from their :meth:`leaves`: the leaf outputs added tree by tree from 0.0, in
        float64, as LightGBM's predict adds them, so the two agree bit for bit (``raw_output`` only)."""
        if not self.n_trees:
            return np.zeros(len(leaves))
        return np.cumsum(self.leaf_values[leaves.T], axis=0)[-1]  # sum() would add pairwise, cumsum in order

    def contributions_of(self, leaves: np.ndarray) -> np.ndarray:
        """(n, features) contributions of rows from their :meth:`leaves`."""
        return self.table[leaves].sum(axis=1)

    def contributions(self, matrix: np.ndarray) -> np.ndarray:
        """(n, features) contributions of each row of ``matrix`` (features in the booster's order)."""
        if not self.n_trees:
            return np.zeros((len(matrix), self.table.shape[1]))
        return self.contributions_of(self.leaves(matrix))


def _is_leaf(node: dict[str, Any]) -> bool:
    return "split_feature" not in node


def _expected_values(node: dict[str, Any], out: dict[int, float]) -> tuple[float, float]:
    """Fill ``out[id(node)]`` with each node's row-weighted mean leaf value; returns (rows, value sum)."""
    if _is_leaf(node):
        count = float(node.get("leaf_count", 1) or 1)
        out[id(node)] = float(node["leaf_value"])
        return count, count * out[id(node)]
    left_rows, left_sum = _expected_values(node["left_child"], out)
    right_rows, right_sum = _expected_values(node["right_child"], out)
    rows, total = left_rows + right_rows, left_sum + right_sum
    out[id(node)] = total / rows if rows else float(node.get("internal_value", 0.0))
    return rows, total


def _leaf_contributions(node: dict[str, Any], path: np.ndarray, expected: dict[int, float],
                        out: dict[int, np.ndarray]) -> None:
    if _is_leaf(node):
        out[int(node.get("leaf_index", 0))] = path
        return
    feature = int(node["split_feature"])
    for child in (node["left_child"], node["right_child"]):
        step = path.copy()
        step[feature] += expected[id(child)] - expected[id(node)]
        _leaf_contributions(child, step, expected, out)
