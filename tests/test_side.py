"""Replacing rows of a loaded side keeps them in id order, as a fresh load would have them."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from matcher.side import replace_rows


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
