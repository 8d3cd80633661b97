"""The field gate: a ranker that lowers the field evaluation's top-1 is never activated, whatever its NDCG on
outcomes. Known answer: a ranker taught to prefer unrelated work."""
from __future__ import annotations

from pathlib import Path

import lightgbm as lgb
import numpy as np
import pandas as pd
import pytest

from matcher.config import Settings
from matcher.fieldeval.gate import FieldGate, field_gate
from matcher.rank.features import FEATURE_COLUMNS
from matcher.rank.registry import LoadedRanker, RankerRegistry


def anti_relevance_booster() -> lgb.Booster:
    """Scores a pair high exactly when its occupations differ and no skill is shared: the opposite of fit."""
    rng = np.random.default_rng(0)
    n = 4000
    rows = pd.DataFrame(rng.random((n, len(FEATURE_COLUMNS))) * 4, columns=list(FEATURE_COLUMNS))
    rows["occupation_match"] = rng.integers(0, 5, n)
    rows["skill_overlap"] = rng.integers(0, 3, n)
    label = ((rows["occupation_match"] < 3) & (rows["skill_overlap"] == 0)).astype(int)
    data = lgb.Dataset(rows, label, feature_name=list(FEATURE_COLUMNS), categorical_feature=["talent_category"])
    return lgb.train({"objective": "binary", "verbose": -1, "num_leaves": 7, "seed": 0}, data, num_boost_round=30)


@pytest.fixture(scope="module")
def gate_settings(tmp_path_factory, tiny_model_dir: Path) -> Settings:
    return Settings(data_dir=tmp_path_factory.mktemp("gate"), model_path=tiny_model_dir, ranker_field_gate=True)


@pytest.fixture(scope="module")
def gate(gate_settings: Settings):
    """One gate for the module: the field set is imported once."""
    with field_gate(gate_settings) as opened:
        assert isinstance(opened, FieldGate)
        yield opened


def test_a_ranker_that_prefers_unrelated_work_is_refused_and_the_rule_score_keeps_serving(gate_settings, gate):
    registry = RankerRegistry(gate_settings.ranker_dir)
    version = registry.save("recommend", anti_relevance_booster(), {"note": "anti-relevance"})
    held_out = pd.DataFrame(np.zeros((2, len(FEATURE_COLUMNS))), columns=list(FEATURE_COLUMNS)).assign(
        label=[1, 0], query=["q", "q"])
    promotion = registry.promote_if_better("recommend", version, held_out, gate)
    rules = gate.top1("recommend", None)
    field = promotion["field"]
    assert field["active_field_top1"] == pytest.approx(rules, abs=1e-4) and rules >= 0.9  # the rule score, cold
    assert field["field_top1"] < field["active_field_top1"] - 0.1 and not field["passed"]
    assert promotion["activated"] is False and registry.active("recommend") is None


def test_a_ranker_equal_to_what_serves_passes(gate):
    """The active ranker against itself: equal top-1 is not lower, so it passes."""
    ranker = LoadedRanker(version="same", booster=anti_relevance_booster(), manifest={})
    verdict = gate("recommend", ranker, ranker)
    assert verdict["passed"] and verdict["field_top1"] == verdict["active_field_top1"]


def test_the_gate_is_off_when_the_setting_says_so(gate_settings):
    with field_gate(gate_settings.model_copy(update={"ranker_field_gate": False})) as gate:
        assert gate is None
