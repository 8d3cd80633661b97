"""EncodedProfiles.of (a column at a time) against EncodedProfiles.of_rows (row by row): demo data, edge cases."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from matcher import ragged
from matcher.demo import generate_jobs, talents_frame
from matcher.normalize.records import normalize_job, normalize_talent
from matcher.rank.encoded import EncodedProfiles, Layout, assemble
from matcher.rank.features import JOB_LAYOUT, TALENT_LAYOUT
from matcher.rank.profiles import job_profiles, talent_profiles, title_bigrams


def assert_same(got: EncodedProfiles, want: EncodedProfiles) -> None:
    np.testing.assert_array_equal(got.numbers, want.numbers)
    np.testing.assert_array_equal(got.codes, want.codes)
    np.testing.assert_array_equal(got.offsets, want.offsets)
    np.testing.assert_array_equal(got.values, want.values)
    np.testing.assert_array_equal(got.levels, want.levels)  # NaN equals NaN here
    assert got.values.dtype == np.int64 and got.offsets.dtype == np.int64 and got.levels.dtype == np.float64


@pytest.fixture(scope="module")
def demo() -> tuple[pd.DataFrame, pd.DataFrame]:
    """400 demo talents and the 243 demo jobs, normalised as the importer does."""
    jobs = generate_jobs(243, seed=3)
    talents = talents_frame(400, seed=3, jobs=jobs)
    normalised = pd.DataFrame([{**row, **normalize_talent(row)} for row in talents.to_dict("records")])
    return normalised, pd.DataFrame([{**row, **normalize_job(row)} for row in jobs.to_dict("records")])


def test_demo_talents_encode_as_row_by_row(demo):
    columns = talent_profiles(demo[0], reference_year=2026).columns
    got, want = EncodedProfiles.of(columns, TALENT_LAYOUT), EncodedProfiles.of_rows(columns, TALENT_LAYOUT)
    assert_same(got, want)
    assert len(got.values) > 3 * len(got)  # the demo's sets are not empty: the test compares something


def test_demo_jobs_encode_as_row_by_row(demo):
    columns = job_profiles(demo[1]).columns
    assert_same(EncodedProfiles.of(columns, JOB_LAYOUT), EncodedProfiles.of_rows(columns, JOB_LAYOUT))


LAYOUT = Layout(numbers=("n",), codes=("c",), sets=("held", "members", "code", "mixed"))


def objects(*values: object) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def test_edge_cases_encode_as_row_by_row():
    columns = {
        "n": np.array([1.0, np.nan, 3.0, 4.0]),
        "c": objects("a", None, "", np.nan),
        "held": objects({"x": 2, "b": 1}, {}, {"": 3}, {"x": 0}),
        "members": objects(frozenset({"z", "a", ""}), frozenset(), frozenset({"a"}), frozenset({"", "q"})),
        "code": objects("6-18-02-04", None, "", "6-18"),
        "mixed": objects({"k": 1}, frozenset({"m"}), "2-01", None),  # one of each kind: value by value
    }
    got = EncodedProfiles.of(columns, LAYOUT)
    assert_same(got, EncodedProfiles.of_rows(columns, LAYOUT))
    assert got.offsets[0].tolist() == [0, 2, 5, 9, 10]  # row 0: 2 held, 3 members, 4 prefixes, 1 key
    assert got.codes[1:, 0].tolist() == [0, 0, 0]


def test_no_rows():
    columns = {name: objects() for name in ("c", "held", "members", "code", "mixed")} | {"n": np.zeros(0)}
    got = EncodedProfiles.of(columns, LAYOUT)
    assert got.offsets.shape == (0, 5) and len(got.values) == 0


def test_title_bigrams_are_each_rows_own(demo):
    talents = demo[0].copy()
    talents.loc[::7, "current_title"] = None  # missing titles among repeated ones
    got = talent_profiles(talents, reference_year=2026).columns["title_bigrams"]
    assert list(got) == [title_bigrams(v) for v in talents["current_title"]]
    assert frozenset() in set(got) and len(set(got)) > 10


def test_codes_and_sets_are_each_rows_own_and_equal_ones_shared(demo):
    talents = demo[0].copy()
    talents.loc[::5, "hometown_county_code"] = ""
    talents.loc[1::5, "hometown_county_code"] = None
    columns = talent_profiles(talents, reference_year=2026).columns
    county = talents["hometown_county_code"].tolist()
    assert list(columns["hometown_county_code"]) == [v if isinstance(v, str) and v else None for v in county]
    assert list(columns["skills"]) == [frozenset(v) for v in talents["skills_norm"]]
    assert list(columns["intent_city_codes"]) == [frozenset(v) for v in talents["intent_city_codes"]]
    skills = columns["skills"]
    assert len({id(s) for s in skills}) == len(set(skills)) < len(skills)  # one object per distinct set


def test_assemble_interleaves_rows_of_several_tables_as_encoding_them_in_that_order(demo):
    columns = talent_profiles(demo[0], reference_year=2026).columns
    whole = EncodedProfiles.of(columns, TALENT_LAYOUT)
    rng = np.random.default_rng(7)
    order = rng.permutation(len(whole))  # the rows wanted, from two tables that split them
    in_second = rng.random(len(whole)) < 0.3
    first = whole.take(np.flatnonzero(~in_second))
    second = whole.take(np.flatnonzero(in_second))
    row_in_part = np.where(in_second, np.cumsum(in_second) - 1, np.cumsum(~in_second) - 1)
    got = assemble([first, second], in_second[order].astype(np.int64), row_in_part[order])
    assert_same(got, EncodedProfiles.of({k: v[order] for k, v in columns.items()}, TALENT_LAYOUT))
    assert_same(assemble([whole], np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)), whole.take([]))


def test_gathered_copies_runs_and_scattered_rows_alike(monkeypatch):
    rng = np.random.default_rng(3)
    parts = [rng.integers(0, 100, size=n) for n in (40, 25)]
    offsets = [np.array([0, 3, 3, 10, 18, 25, 40]), np.array([0, 5, 6, 20, 25])]
    picked = list(zip([0, 0, 0, 1, 1, 0, 0, 0, 1, 0, 0], [0, 1, 2, 0, 1, 3, 4, 5, 3, 2, 0], strict=True))
    part_of_row, row_in_part = (np.array(column) for column in zip(*picked, strict=True))
    rows = [parts[k][offsets[k][r]:offsets[k][r + 1]] for k, r in picked]  # runs of consecutive rows, and jumps
    for run_rows in (1, 10_000):  # copied run by run, then through index arrays
        monkeypatch.setattr(ragged, "RUN_ROWS", run_rows)
        (flat, twice), out = ragged.gathered([(p, p * 2) for p in parts], [o[:-1] for o in offsets],
                                             [o[1:] for o in offsets], part_of_row, row_in_part)
        np.testing.assert_array_equal(flat, np.concatenate(rows))
        np.testing.assert_array_equal(twice, np.concatenate(rows) * 2)
        assert out.tolist() == np.cumsum([0, *map(len, rows)]).tolist()
