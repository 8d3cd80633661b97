"""Versioned rankers on disk and which one is active, per direction (recommend | candidates).

Layout: <ranker_dir>/<direction>/<version>/{model.txt, manifest.json} and <ranker_dir>/registry.json.
A model is activated only when it beats the active one on the same held-out queries.
"""
from __future__ import annotations

import json
import logging
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path

import lightgbm as lgb
import numpy as np
import pandas as pd

from matcher.rank import DIRECTIONS
from matcher.rank.attribution import PathAttribution
from matcher.rank.features import FEATURE_COLUMNS, feature_values
from matcher.rank.metrics import evaluate_ranking
from matcher.rank.walk_check import probe_rows, walk_disagreement

PROMOTION_METRIC = "ndcg@10"
logger = logging.getLogger(__name__)


class RankerMismatchError(ValueError):
    """A saved ranker was built for other features than this code computes."""


class RankerWalkMismatchError(RankerMismatchError):
    """The compiled tree walk does not reproduce a ranker's LightGBM predictions (matcher.rank.walk_check)."""


@dataclass(frozen=True)
class LoadedRanker:
    version: str
    booster: lgb.Booster
    manifest: dict
    max_threads: int = 2
    """Bulk workers that already use every core set 1."""
    native: bool = True
    """Walk the trees with the compiled loop (matcher.rank.trees); False: LightGBM's own ``predict``, for scores
    and for the leaves explanations are read from (``Settings.native``). Both give the same floats."""

    def predict(self, features: pd.DataFrame) -> pd.Series:
        return pd.Series(self.score_matrix(feature_values(features)), index=features.index)

    def score_matrix(self, matrix: np.ndarray) -> np.ndarray:
        """(n,) scores of feature rows in FEATURE_COLUMNS order (LightGBM's numpy path, no pandas checks)."""
        return self.booster.predict(matrix, num_threads=self._threads(len(matrix)))

    def score_leaves(self, matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
        """Scores of feature rows and the leaves they reach, from one walk of the trees (contributions of any
        of the rows then cost a table sum: ``attribution.contributions_of``). When the scores are not plain sums
        of leaf outputs (see ``PathAttribution.raw_output``): ``predict``'s scores and no leaves."""
        attribution = self.attribution
        if not (self.native and attribution.raw_output and attribution.n_trees):
            return self.score_matrix(matrix), None
        leaves = attribution.leaves(matrix)
        return attribution.scores(leaves), leaves

    def _threads(self, rows: int) -> int:
        """One thread for a query's few hundred rows (thread start-up costs more than it saves); more for batches."""
        return 1 if rows < 10_000 else self.max_threads

    def contributions(self, features: pd.DataFrame) -> pd.DataFrame:
        """(n, len(FEATURE_COLUMNS)) per-feature contributions (path attribution, bias left out)."""
        return pd.DataFrame(self.contribution_matrix(feature_values(features)), columns=list(FEATURE_COLUMNS),
                            index=features.index)

    def contribution_matrix(self, matrix: np.ndarray) -> np.ndarray:
        """Contributions that add up, with ``attribution.bias``, to each row's score (matcher.rank.attribution)."""
        if self.native:
            return self.attribution.contributions(matrix)
        return self.attribution.contributions_of(self.leaves(matrix))

    def leaves(self, matrix: np.ndarray) -> np.ndarray:
        """(n, trees) rows of ``attribution.table`` of the leaf each tree sends each row to."""
        if self.native:
            return self.attribution.leaves(matrix)
        leaves = self.booster.predict(matrix, pred_leaf=True, num_threads=self._threads(len(matrix)))
        return leaves.astype(np.int64).reshape(len(matrix), -1) + self.attribution.offsets

    @cached_property
    def attribution(self) -> PathAttribution:
        """Each leaf's contributions, tabulated once (the registry does it on load)."""
        return PathAttribution.of(self.booster)


class RankerRegistry:
    def __init__(self, root: Path, native: bool = True) -> None:
        """``native``: rankers it loads walk their trees compiled, after checking the walk against LightGBM
        (``Settings.native``)."""
        self.root = Path(root)
        self.native = native

    def _state(self) -> dict:
        path = self.root / "registry.json"
        return json.loads(path.read_text()) if path.exists() else {"active": {}, "versions": {}}

    def _write_state(self, state: dict) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.root, suffix=".json")
        with os.fdopen(fd, "w") as fh:
            json.dump(state, fh, ensure_ascii=False, indent=2)
        os.replace(tmp, self.root / "registry.json")

    def save(self, direction: str, booster: lgb.Booster, manifest: dict) -> str:
        """Write a new version (never overwriting one) and return its name."""
        _check_direction(direction)
        version = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        folder = self.root / direction / version
        folder.mkdir(parents=True)
        booster.save_model(str(folder / "model.txt"))
        full = {**manifest, "version": version, "direction": direction, "feature_columns": list(FEATURE_COLUMNS),
                "saved_at": datetime.now(UTC).isoformat()}
        (folder / "manifest.json").write_text(json.dumps(full, ensure_ascii=False, indent=2, default=str))
        state = self._state()
        state["versions"].setdefault(direction, []).append(version)
        self._write_state(state)
        return version

    def load(self, direction: str, version: str) -> LoadedRanker:
        folder = self.root / direction / version
        manifest = json.loads((folder / "manifest.json").read_text())
        booster = lgb.Booster(model_file=str(folder / "model.txt"))
        expected = list(FEATURE_COLUMNS)
        if list(booster.feature_name()) != expected or manifest["feature_columns"] != expected:
            raise RankerMismatchError(
                f"ranker {direction}/{version} was trained on features {booster.feature_name()}, "
                f"this code computes {list(FEATURE_COLUMNS)}; retrain with `matcher train`")
        ranker = LoadedRanker(version=version, booster=booster, manifest=manifest, native=self.native)
        _ = ranker.attribution  # tabulated now rather than on the first explained match
        if self.native:
            wrong = walk_disagreement(ranker.attribution, booster,
                                      probe_rows(ranker.attribution.walk, booster.num_feature()))
            if wrong:
                raise RankerWalkMismatchError(
                    f"ranker {direction}/{version}: {wrong}; it is not served. Run with MATCHER_NATIVE=0 to "
                    f"serve it through LightGBM's own predict, and report the LightGBM version")
        return ranker

    def active(self, direction: str) -> LoadedRanker | None:
        version = self._state()["active"].get(direction)
        return self.load(direction, version) if version else None

    def active_or_none(self, direction: str) -> LoadedRanker | None:
        """The active ranker, or None (rule score) when there is none or it no longer fits the features."""
        try:
            return self.active(direction)
        except RankerMismatchError as stale:
            logger.error("%s; ranking %s with the rule score until then", stale, direction)
            return None

    def activate(self, direction: str, version: str) -> None:
        state = self._state()
        state["active"][direction] = version
        self._write_state(state)

    def promote_if_better(self, direction: str, version: str, held_out: pd.DataFrame,
                          gate: Callable[[str, LoadedRanker, LoadedRanker | None], dict] | None = None) -> dict:
        """Activate ``version`` if it beats the active model on ``held_out`` (FEATURE_COLUMNS, label, query) and,
        given a ``gate`` (matcher.fieldeval.gate.FieldGate), does not lower the field evaluation's top-1."""
        candidate = self.load(direction, version)
        try:
            current = self.active(direction)
        except RankerMismatchError:
            current = None  # the active model no longer fits this code's features: anything valid beats it
        new = evaluate_ranking(held_out.assign(score=candidate.predict(held_out).to_numpy()))[PROMOTION_METRIC]
        old = (evaluate_ranking(held_out.assign(score=current.predict(held_out).to_numpy()))[PROMOTION_METRIC]
               if current else None)
        activated = old is None or new > old
        field = gate(direction, candidate, current) if gate is not None and activated else None
        activated = activated and (field is None or field["passed"])
        if activated:
            self.activate(direction, version)
        return {"version": version, PROMOTION_METRIC: new, f"active_{PROMOTION_METRIC}": old,
                "previous_active": current.version if current else None, "activated": activated, "field": field}


def _check_direction(direction: str) -> None:
    if direction not in DIRECTIONS:
        raise ValueError(f"direction must be one of {DIRECTIONS}, got {direction!r}")
