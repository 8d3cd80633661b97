"""Encoded profiles: ids, sets and prefixes as the feature pass reads them; tables kept equal to a fresh encoding
through replacements and subsets (what writes and bulk workers do)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from matcher.rank.encoded import MISSING, EncodedProfiles, Layout, _id
from matcher.rank.profiles import talent_profiles
from tests.rank.conftest import cert, talent

LAYOUT = Layout(numbers=("n",), codes=("code",), sets=("held", "tags", "occupation"))


def test_codes_sets_dicts_and_prefixes_are_encoded_as_documented():
    columns = {
        "n": np.array([1.5, np.nan]),
        "code": np.array(["410000", None], dtype=object),
        "held": np.array([{"b": 3, "a": 0}, {}], dtype=object),
        "tags": np.array([frozenset({"x", "y"}), frozenset()], dtype=object),
        "occupation": np.array(["6-04-01", None], dtype=object),
    }
    table = EncodedProfiles.of(columns, LAYOUT)
    assert np.array_equal(table.numbers[:, 0], [1.5, np.nan], equal_nan=True)
    assert table.codes[:, 0].tolist() == [_id("410000"), MISSING]
    assert table.offsets.tolist() == [[0, 2, 4, 7], [7, 7, 7, 7]]
    held = sorted([(_id("a"), 0.0), (_id("b"), 3.0)])
    assert table.values[:2].tolist() == [i for i, _ in held] and table.levels[:2].tolist() == [v for _, v in held]
    assert table.values[2:4].tolist() == sorted([_id("x"), _id("y")])
    assert table.values[4:7].tolist() == [_id("6"), _id("6-04"), _id("6-04-01")]  # prefixes, in order
    assert _id("") == MISSING and MISSING not in (_id("6"), _id("x"))


def _equal(a: EncodedProfiles, b: EncodedProfiles) -> bool:
    return all(np.array_equal(getattr(a, f), getattr(b, f), equal_nan=True)
               for f in ("numbers", "codes", "offsets", "values", "levels"))


def test_replacing_and_subsetting_rows_equals_encoding_them_afresh():
    rows = [talent(f"T{i}", skills_norm=["焊接", "电工"][: i % 3], certificates_norm=[cert(i % 5 + 1)] * (i % 2),
                   occupation_code=[None, "6-18-02-04", "2-02"][i % 3]) for i in range(12)]
    table = talent_profiles(pd.DataFrame(rows), reference_year=2026)
    changed = [talent("T3", skills_norm=["护理"], occupation_code="4-10"), talent("T99", intent_city_codes=[])]
    replaced = table.replaced(talent_profiles(pd.DataFrame(changed), reference_year=2026), gone=["T5"])
    expected_rows = [r for r in rows if r["talent_id"] not in {"T3", "T5"}] + changed
    afresh = talent_profiles(pd.DataFrame(expected_rows), reference_year=2026)
    assert replaced.ids.tolist() == afresh.ids.tolist()
    assert _equal(replaced.encoded, afresh.encoded)
    subset = replaced.subset(["T99", "T0", "T3"])
    assert _equal(subset.encoded, talent_profiles(pd.DataFrame([changed[1], rows[0], changed[0]]), 2026).encoded)


def test_rows_at_reads_the_named_columns_of_each_position():
    table = talent_profiles(pd.DataFrame([talent("T0"), talent("T1", education_rank=5)]), reference_year=2026)
    rows = table.rows_at(np.array([1, 0, 1]), ("education_rank",))
    assert rows == [{"education_rank": 5.0}, {"education_rank": 3.0}, {"education_rank": 5.0}]
    assert rows[0] is rows[2]  # a repeated row is read once
