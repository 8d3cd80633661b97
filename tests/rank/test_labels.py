"""Graded labels from event histories."""
from __future__ import annotations

import pandas as pd
import pytest

from matcher.rank.labels import pair_labels


def test_label_is_the_furthest_stage_reached():
    events = pd.DataFrame({
        "talent_id": ["A", "A", "A", "B", "B", "C", "C", "C", "C"],
        "job_id":    ["J", "J", "J", "J", "J", "J", "J", "J", "J"],
        "kind": ["viewed", "applied", "rejected", "viewed", "rejected", "viewed", "applied", "interviewed",
                 "hired"],
        "occurred_at": pd.date_range("2024-01-01", periods=9, freq="D"),
    })
    labels = pair_labels(events).set_index("talent_id")
    assert labels["label"].to_dict() == {"A": 1, "B": 0, "C": 3}
    assert labels.loc["C", "last_at"] == pd.Timestamp("2024-01-09")


def test_unknown_event_kind_is_refused():
    events = pd.DataFrame({"talent_id": ["A"], "job_id": ["J"], "kind": ["liked"], "occurred_at": ["2024-01-01"]})
    with pytest.raises(ValueError, match="liked"):
        pair_labels(events)
