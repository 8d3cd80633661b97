"""The leaf each tree of a LightGBM model sends a feature row to, from the trees flattened into arrays and walked
by a compiled loop: what ``Booster.predict(pred_leaf=True)`` returns, without its per-call cost.

For a query's hundred rows most of LightGBM's Python predict is the call itself (argument checks, a predictor set up
per call, ctypes); walking the same trees here avoids it (timed by scripts/bench_rank.py). The decisions are
LightGBM's own (``Tree::NumericalDecision`` and ``Tree::CategoricalDecision`` of LightGBM 4): a value within 1e-35f
of zero is zero, as LightGBM's dense row reader makes it; on a numerical split NaN counts as 0.0 unless the split
routes missing values, and a missing value (NaN, or zero for a ``Zero`` split) takes the split's default side; on a
categorical split NaN and negative values go right, others left when their category (the value truncated to an
integer) is in the split's set. tests/rank/test_trees.py checks every leaf against LightGBM's on rows with NaN,
zeros, tiny, negative and fractional values, and on rows placed on every split's threshold (matcher.rank.walk_check,
which also runs on every ranker the registry loads)."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np

_CATEGORICAL, _DEFAULT_LEFT = 1, 2
_MISSING_SHIFT = 2
MISSING_TYPES = {"None": 0, "Zero": 1, "NaN": 2}
_DUMPED_INFINITY = 1e300
_ZERO_THRESHOLD = float(np.float32(1e-35))
"""LightGBM's kZeroThreshold, ``1e-35f``: a float, so 1.0000000180025095e-35 as a double. Values no further from
zero are read as zero (LightGBM's own thresholds next to zero are this very number)."""


@dataclass(frozen=True)
class TreeWalk:
    """Every tree's nodes in flat arrays. A child >= 0 is a node (an index into the node arrays); a child < 0 is
    the leaf ``~child`` of that tree, counted from 0 as LightGBM numbers them."""

    roots: np.ndarray
    """(trees,) int32: each tree's root node, or ``~0`` for a tree that is a single leaf."""
    feature: np.ndarray
    threshold: np.ndarray
    """(nodes,) float64: the split value (numerical splits)."""
    left: np.ndarray
    right: np.ndarray
    flags: np.ndarray
    """(nodes,) int32: categorical, default-left and the missing type (bits 2-3)."""
    categories: np.ndarray
    """(nodes, 2) int64: start and end in ``bitset`` of a categorical split's categories (words of 32 bits)."""
    bitset: np.ndarray
    """uint32 words: category c goes left when bit c % 32 of word start + c // 32 is set."""

    @classmethod
    def of(cls, trees: list[dict[str, Any]]) -> TreeWalk:
        """From the ``tree_info`` of ``Booster.dump_model()``."""
        nodes: list[dict[str, Any]] = []
        roots = [_flatten(tree["tree_structure"], nodes) for tree in trees]
        words: list[int] = []
        categories = np.zeros((len(nodes), 2), dtype=np.int64)
        flags = np.zeros(len(nodes), dtype=np.int32)
        threshold = np.zeros(len(nodes), dtype=np.float64)
        for i, node in enumerate(nodes):
            flags[i] = (MISSING_TYPES[node["missing_type"]] << _MISSING_SHIFT) | (_DEFAULT_LEFT * node["default_left"])
            if node["decision_type"] == "==":
                flags[i] |= _CATEGORICAL
                chosen = [int(c) for c in str(node["threshold"]).split("||")]
                bits = np.zeros(max(chosen) // 32 + 1, dtype=np.uint32)
                for c in chosen:
                    bits[c // 32] |= np.uint32(1 << (c % 32))
                categories[i] = (len(words), len(words) + len(bits))
                words.extend(int(w) for w in bits)
            elif node["decision_type"] == "<=":
                threshold[i] = _unclamped(float(node["threshold"]))
            else:
                raise ValueError(f"unknown LightGBM decision type {node['decision_type']!r}")
        return cls(roots=np.asarray(roots, dtype=np.int32),
                   feature=np.array([n["split_feature"] for n in nodes], dtype=np.int32), threshold=threshold,
                   left=np.array([n["left"] for n in nodes], dtype=np.int32),
                   right=np.array([n["right"] for n in nodes], dtype=np.int32), flags=flags,
                   categories=categories, bitset=np.asarray(words, dtype=np.uint32))

    @property
    def n_trees(self) -> int:
        return len(self.roots)

    @property
    def categorical(self) -> np.ndarray:
        """(nodes,) bool: which splits are categorical."""
        return (self.flags & _CATEGORICAL) != 0

    def leaves(self, matrix: np.ndarray) -> np.ndarray:
        """(n, trees) int64: the leaf (numbered within its tree) each tree sends each row of ``matrix`` to."""
        rows = np.ascontiguousarray(matrix, dtype=np.float64)
        out = np.empty((len(rows), self.n_trees), dtype=np.int64)
        if len(rows) and self.n_trees:
            _compiled()(rows, self.roots, self.feature, self.threshold, self.left, self.right, self.flags,
                        self.categories, self.bitset, out)
        return out


def _unclamped(threshold: float) -> float:
    """A threshold as the model holds it: ``dump_model`` writes ±inf (the threshold of a split sending every
    number one way and NaN the other) as ±1e300 (LightGBM's ``AvoidInf``), which would send larger values and
    ±inf the wrong way."""
    return float(np.copysign(np.inf, threshold)) if abs(threshold) >= _DUMPED_INFINITY else threshold


def _flatten(node: dict[str, Any], nodes: list[dict[str, Any]]) -> int:
    """Append ``node``'s splits to ``nodes`` (depth first) and return its index, or ``~leaf`` for a leaf."""
    if "split_feature" not in node:
        return ~int(node.get("leaf_index", 0))
    index = len(nodes)
    flat = {k: node[k] for k in ("split_feature", "threshold", "decision_type", "default_left", "missing_type")}
    nodes.append(flat)
    flat["left"] = _flatten(node["left_child"], nodes)
    flat["right"] = _flatten(node["right_child"], nodes)
    return index


def _walk(rows: np.ndarray, roots: np.ndarray, feature: np.ndarray, threshold: np.ndarray, left: np.ndarray,
          right: np.ndarray, flags: np.ndarray, categories: np.ndarray, bitset: np.ndarray,
          out: np.ndarray) -> None:  # pragma: no cover - compiled
    for i in range(rows.shape[0]):
        for tree in range(roots.shape[0]):
            node = roots[tree]
            while node >= 0:
                value = rows[i, feature[node]]
                if abs(value) <= _ZERO_THRESHOLD:
                    value = 0.0
                flag = flags[node]
                if flag & _CATEGORICAL:
                    go_left = False
                    if not np.isnan(value) and -1.0 < value < 2147483648.0:  # int(value) >= 0, as C++ truncates
                        category = int(value)
                        word = categories[node, 0] + category // 32
                        if word < categories[node, 1]:
                            go_left = (bitset[word] >> np.uint32(category % 32)) & np.uint32(1) == 1
                else:
                    missing = (flag >> _MISSING_SHIFT) & 3
                    if np.isnan(value) and missing != 2:
                        value = 0.0
                    if (missing == 1 and value == 0.0) or (missing == 2 and np.isnan(value)):
                        go_left = (flag & _DEFAULT_LEFT) != 0
                    else:
                        go_left = value <= threshold[node]
                node = left[node] if go_left else right[node]
            out[i, tree] = ~node


@cache
def _compiled():
    """``_walk`` compiled by numba on first use (cached beside this file, as matcher.index.postings does)."""
    from numba import njit

    return njit(cache=True, nogil=True)(_walk)


def warm_up() -> None:
    """Compile (or load the cached compilation of) the walk now rather than on the first query."""
    TreeWalk.of([{"tree_structure": {"split_feature": 0, "threshold": 0.5, "decision_type": "<=",
                                     "default_left": True, "missing_type": "None",
                                     "left_child": {"leaf_index": 0}, "right_child": {"leaf_index": 1}}}]
                ).leaves(np.zeros((1, 1), dtype=np.float32))
