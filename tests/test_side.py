"""Replacing rows of a loaded side keeps them in id order, as a fresh load would have them."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from matcher.side import Side, replace_rows


def _frame(ids: list[str], tag: str) -> pd.DataFrame:
    ids = sorted(ids)
    columns = {"talent_id": ids, "name": [f"{tag}{i}" for i in ids], "years": np.arange(len(ids), dtype=float)}
    return pd.DataFrame(columns, index=pd.Index(ids))


@pytest.mark.parametrize("seed", range(20))
def test_replace_rows_equals_dropping_appending_and_sorting(seed):
    rng = np.random.default_rng(seed)
    pool = [f"t{i:03d}" for i in range(60)]
    loaded = list(rng.choice(pool, int(rng.integers(0, 40)), replace=False))
    frame = _frame(loaded, "old")
    changed = list(rng.choice(pool, int(rng.integers(0, 8)), replace=False))  # updates and new ids alike
    fresh = _frame(changed, "new").iloc[rng.permutation(len(changed))]  # in any order
    left = [i for i in loaded if i not in changed]
    gone = list(rng.choice(left, min(len(left), int(rng.integers(0, 4))), replace=False)) if left else []
    expected = pd.concat([frame.drop(index=[*gone, *fresh.index], errors="ignore"), fresh]).sort_index()
    got = replace_rows(frame, fresh, gone)
    pd.testing.assert_frame_equal(got, expected)
    assert got.index.is_monotonic_increasing and set(got.index) == (set(loaded) - set(gone)) | set(changed)


def test_replace_rows_known_answer():
    frame = _frame(["a", "c", "e"], "old")
    got = replace_rows(frame, _frame(["d", "a"], "new"), ["e"])
    assert got.index.tolist() == ["a", "c", "d"]
    assert got["name"].tolist() == ["newa", "oldc", "newd"]


@pytest.mark.parametrize("seed", range(10))
def test_writes_wait_beside_the_loaded_rows_and_merge_as_applied_one_by_one(seed):
    rng = np.random.default_rng(seed)
    pool = [f"t{i:03d}" for i in range(40)]
    loaded = _frame(list(rng.choice(pool, 25, replace=False)), "old")
    side = Side(loaded, pool=None, texts=dict.fromkeys(loaded.index, ""))
    expected = loaded
    for step in range(4):  # writes and deletes, some of ids written or deleted a step before
        held = list(expected.index)
        fresh = _frame(list(rng.choice(pool, int(rng.integers(1, 5)), replace=False)), f"w{step}")
        left = [i for i in held if i not in fresh.index]
        gone = list(rng.choice(left, min(len(left), int(rng.integers(0, 3))), replace=False))
        expected = replace_rows(expected, fresh, gone)
        side = side.written(fresh, gone, dict.fromkeys(expected.index, ""))
        assert side.base is loaded and len(side) == len(expected)  # nothing merged yet
    pd.testing.assert_frame_equal(side.frame, expected)
    assert side.fresh is None and not side.gone and side.frame is side.base  # merged once, then kept


def test_a_write_known_answer():
    side = Side(_frame(["a", "c", "e"], "old"), pool=None, texts={})
    side = side.written(_frame(["d"], "new"), ["e"], {}).written(_frame(["e", "a"], "again"), ["d"], {})
    assert side.frame["name"].tolist() == ["againa", "oldc", "againe"]
    deleted = side.written(_frame([], "none"), ["c"], {})  # a refresh that only deletes
    assert deleted.fresh is None and deleted.frame["name"].tolist() == ["againa", "againe"]
    assert deleted.frame.dtypes.equals(side.frame.dtypes)
