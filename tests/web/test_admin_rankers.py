"""/admin/rankers: the saved rankers' evaluation table, and activating one reaches the serving Matcher."""
from __future__ import annotations

from collections.abc import Iterator

import lightgbm as lgb
import numpy as np
import pytest

from matcher.rank.features import FEATURE_COLUMNS
from matcher.rank.registry import RankerRegistry
from matcher.store.changes import record_ranker_activation
from tests.web.conftest import WebEnv, csrf_of, signed_in


@pytest.fixture
def saved_ranker(web: WebEnv) -> Iterator[str]:
    """A real (tiny) LightGBM ranker over FEATURE_COLUMNS saved in the registry; afterwards none is active
    again, so the other tests keep ranking with the rule score."""
    rng = np.random.default_rng(0)
    features = rng.random((60, len(FEATURE_COLUMNS)))
    labels = rng.integers(0, 2, 60)
    booster = lgb.train({"objective": "lambdarank", "verbose": -1, "min_data_in_leaf": 2},
                        lgb.Dataset(features, labels, group=[10] * 6, feature_name=list(FEATURE_COLUMNS)),
                        num_boost_round=3)
    registry = RankerRegistry(web.settings.ranker_dir)
    version = registry.save("candidates", booster, {"metrics": {"ranker": {"ndcg@10": 0.61, "queries": 6},
                                                                  "rule": {"ndcg@10": 0.42, "queries": 6}}})
    yield version
    (web.settings.ranker_dir / "registry.json").unlink()
    record_ranker_activation(web.engine)
    web.app.state.follower.catch_up(web.app.state.matcher)  # type: ignore[attr-defined]


def test_admin_activates_a_saved_ranker(web: WebEnv, saved_ranker: str) -> None:
    admin = signed_in(web, "admin")
    html = admin.get("/admin/rankers").text
    assert saved_ranker in html and "0.610 / 0.420" in html and "规则打分" in html
    done = admin.post("/admin/rankers/activate", data={"csrf": csrf_of(html), "direction": "candidates",
                                                       "version": saved_ranker})
    assert done.status_code == 303
    assert web.app.state.matcher.status()["rankers"]["candidates"] == saved_ranker  # type: ignore[attr-defined]
    assert "使用中" in admin.get("/admin/rankers").text
    assert signed_in(web, "staff1").get("/admin/rankers").status_code == 403
