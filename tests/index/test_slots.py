"""Slot tables number each live id by its rank in string order, in step with appends, deletes and compaction."""
from __future__ import annotations

import pickle

import numpy as np
import pytest

from matcher.index.slots import SlotTable


def assert_ranks_follow_the_live_ids(table: SlotTable) -> None:
    """The oracle: sort the live ids with Python and look each live slot's id up."""
    live_ids = sorted(table.ids[table.live].tolist())
    assert table.ranked_ids.tolist() == live_ids
    expected = [live_ids.index(i) if alive else -1 for i, alive in zip(table.ids, table.live, strict=True)]
    assert table.id_rank.tolist() == expected


def test_known_ranks_through_an_update_and_a_delete():
    table = SlotTable(["b", "d", "a"])
    assert table.id_rank.tolist() == [1, 2, 0]
    table.append(["c", "b"])  # c is new; b moves to a new slot and keeps its rank among the live ids
    assert table.id_rank.tolist() == [-1, 3, 0, 2, 1] and table.ranked_ids.tolist() == ["a", "b", "c", "d"]
    table.delete(["a"])
    assert table.id_rank.tolist() == [-1, 2, -1, 1, 0]
    table.compact()
    assert table.ids.tolist() == ["d", "c", "b"] and table.id_rank.tolist() == [2, 1, 0]


def test_ranks_stay_right_through_random_changes():
    rng = np.random.default_rng(5)
    names = [f"id{n}" for n in rng.permutation(400)] + ["Z", "z", "é", "10", "9"]
    table = SlotTable(names[:100], live=rng.random(100) < 0.9)
    assert_ranks_follow_the_live_ids(table)
    for step in range(40):
        live = table.ids[table.live].tolist()
        if step % 3 == 0 and live:
            table.delete(rng.choice(live, min(len(live), int(rng.integers(1, 20))), replace=False).tolist())
        elif step % 7 == 0:
            table.compact()
        else:
            table.append(rng.choice(names, int(rng.integers(1, 30)), replace=False).tolist())
        assert_ranks_follow_the_live_ids(table)


def test_loaded_and_pickled_tables_rank_alike(tmp_path):
    table = SlotTable(["t3", "t1", "t2"])
    table.append(["t0", "t3"])
    table.delete(["t1"])
    table.save(tmp_path)
    loaded = SlotTable.load(tmp_path)
    assert loaded.id_rank.tolist() == table.id_rank.tolist() == [-1, -1, 1, 0, 2]
    assert loaded.ranked_ids.tolist() == ["t0", "t2", "t3"]
    copy = pickle.loads(pickle.dumps(table))  # bulk workers get the pool pickled
    copy.append(["t1"])
    assert copy.id_rank.tolist() == [-1, -1, 2, 0, 3, 1] and table.id_rank.tolist() == [-1, -1, 1, 0, 2]


def test_ids_at_pads_with_none():
    table = SlotTable(["x", "y"])
    assert table.ids_at(np.array([[1, -1], [0, 1]])).tolist() == [["y", None], ["x", "y"]]


def test_a_failed_append_changes_nothing():
    table = SlotTable(["a"])
    with pytest.raises(ValueError, match="repeat"):
        table.append(["b", "b"])
    assert table.id_rank.tolist() == [0] and table.ranked_ids.tolist() == ["a"]
