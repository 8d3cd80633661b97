"""A bulk run's written pairs: talent_top.csv assembled from the part files in one pass that also keeps every
pair as integer codes, the rows the workbook shows, and where each pair's 推荐理由 can be read again.

At a million talents talent_top.csv holds twenty million rows, most of each the reasons text. The pass copies
each part's bytes into talent_top.csv and parses the same bytes with Arrow for the columns every later
consumer reads (talent, job, score), kept as codes into two id arrays instead of a Python string per cell.
Reasons are parsed only while the workbook's capped rows are being collected, and afterwards only from the
parts that hold the talents an interview needs them for.
"""
from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from matcher.bulk.interview_event import PairCodes
from matcher.bulk.parts import TALENT_TOP_COLUMNS

PAIR_TYPES = {"talent_id": pa.string(), "job_id": pa.string(), "rank": pa.int64(), "score": pa.float64(),
              "reasons": pa.string()}
"""How the part columns parse: ids and reasons as text (never a number or a null), rank and score as numbers."""


@dataclass(frozen=True, eq=False)
class WrittenPairs:
    """Every row of talent_top.csv, in file order, as codes.

    talent, job: (p,) int32 codes into talent_ids and job_ids, (t,) and (j,) object arrays of str numbered in
    order of first appearance (as ``pd.factorize`` numbers them); score: (p,) float64 as written.
    part_starts: (parts + 1,) int64, the first row of each part and the row count. best: the rows ranked
    ``best_rank`` or better in file order, at most ``best_cap``, every column (what the workbook shows)."""

    parts: tuple[Path, ...]
    talent: np.ndarray
    job: np.ndarray
    score: np.ndarray
    talent_ids: np.ndarray
    job_ids: np.ndarray
    part_starts: np.ndarray
    best: pd.DataFrame

    @property
    def rows(self) -> int:
        return len(self.score)

    def frame(self, columns: Sequence[str] = ("talent_id", "job_id", "score")) -> pd.DataFrame:
        """``columns`` of talent_id, job_id (str) and score (float64): equal to ``read_pairs`` of talent_top.csv,
        but each id is one string object however many rows name it. Only the asked ones are built: an id
        column is a gather over every pair."""
        build = {"talent_id": lambda: self.talent_ids.take(self.talent), "job_id": lambda: self.job_ids.take(self.job),
                 "score": lambda: self.score}
        return pd.DataFrame({name: build[name]() for name in columns})

    def job_scores(self) -> pd.DataFrame:
        """job_id (categorical over ``job_ids``) and score of every pair: what per-job counts read, without the
        string column :meth:`frame` gathers, one string per pair."""
        return pd.DataFrame({"job_id": pd.Categorical.from_codes(self.job, self.job_ids), "score": self.score})

    def codes(self) -> PairCodes:
        """The pairs as the schedule reads them (rows numbered from 0 in file order)."""
        return PairCodes(self.talent, pd.Index(self.talent_ids), self.job, pd.Index(self.job_ids), self.score,
                         pd.RangeIndex(self.rows))

    def parts_holding(self, talent_ids: pd.Series) -> list[Path]:
        """The part files with a row of any of ``talent_ids``, in file order."""
        wanted = pd.Index(self.talent_ids).get_indexer(pd.unique(talent_ids.astype(str)))
        named = np.zeros(len(self.talent_ids), bool)
        named[wanted[wanted >= 0]] = True
        rows = np.flatnonzero(named[self.talent])
        return [self.parts[i] for i in np.unique(np.searchsorted(self.part_starts, rows, side="right") - 1)]


def assemble(parts: Sequence[Path], out: Path, best_rank: int, best_cap: int) -> WrittenPairs:
    """Write ``parts`` in order into ``out`` under one header (moved into place when whole) and return its rows
    as :class:`WrittenPairs`. Raises ValueError naming the part that does not parse."""
    talents: dict[str, int] = {}
    jobs: dict[str, int] = {}
    talent, job, score, best, starts = [], [], [], [], [0]
    kept = 0
    tmp = out.with_suffix(".csv.tmp")
    with tmp.open("wb") as target:
        target.write(",".join(TALENT_TOP_COLUMNS).encode() + b"\r\n")  # as csv.writer writes the parts' header
        for path in parts:
            data = path.read_bytes()
            target.write(data[data.find(b"\n") + 1:])
            table = _parse(path, data, with_reasons=kept < best_cap)
            talent.append(_codes(table.column("talent_id"), talents))
            job.append(_codes(table.column("job_id"), jobs))
            score.append(table.column("score").to_numpy())
            starts.append(starts[-1] + table.num_rows)
            if kept < best_cap:
                ranked = table.filter(pc.less_equal(table.column("rank"), best_rank)).slice(0, best_cap - kept)
                best.append(ranked.to_pandas())
                kept += ranked.num_rows
    os.replace(tmp, out)
    return WrittenPairs(
        tuple(parts), _joined(talent, np.int32), _joined(job, np.int32), _joined(score, np.float64),
        _names(talents), _names(jobs), np.asarray(starts, np.int64),
        pd.concat(best, ignore_index=True) if best else pd.DataFrame(columns=list(TALENT_TOP_COLUMNS)))


def pair_reasons(sources: Sequence[Path], keys: pd.DataFrame) -> pd.DataFrame:
    """talent_id, job_id, reasons for the ``keys`` pairs (in their order), read from the CSV files ``sources``
    (talent_top.csv, or the parts holding the keys' talents) by Arrow's CSV reader, each block cut to the
    keys' talents first."""
    talents = pa.array(sorted(set(keys["talent_id"])), pa.string())
    columns = ["talent_id", "job_id", "reasons"]
    convert = pacsv.ConvertOptions(include_columns=columns, column_types=dict.fromkeys(columns, pa.string()),
                                   strings_can_be_null=False)
    found = []
    for source in sources:
        reader = pacsv.open_csv(source, parse_options=pacsv.ParseOptions(newlines_in_values=True),
                                convert_options=convert)
        found += [batch.filter(pc.is_in(batch.column("talent_id"), value_set=talents)).to_pandas()
                  for batch in reader]
    rows = pd.concat(found, ignore_index=True) if found else pd.DataFrame(columns=columns)
    return keys.merge(rows.astype(str), on=["talent_id", "job_id"], how="inner")


def _parse(path: Path, data: bytes, with_reasons: bool) -> pa.Table:
    columns = [c for c in TALENT_TOP_COLUMNS if with_reasons or c != "reasons"]
    convert = pacsv.ConvertOptions(include_columns=columns, column_types={c: PAIR_TYPES[c] for c in columns},
                                   strings_can_be_null=False)
    try:
        return pacsv.read_csv(pa.BufferReader(data), parse_options=pacsv.ParseOptions(newlines_in_values=True),
                              convert_options=convert)
    except (pa.ArrowInvalid, pa.ArrowKeyError) as error:
        raise ValueError(f"{path}: expected columns {', '.join(TALENT_TOP_COLUMNS)} with whole-number ranks and "
                         f"numeric scores ({error})") from error


def _codes(values: pa.ChunkedArray, numbering: dict[str, int]) -> np.ndarray:
    """(n,) int32 codes of ``values`` in ``numbering``, which gains the ids not seen before, in order."""
    encoded = pc.dictionary_encode(values.combine_chunks())
    local = np.fromiter((numbering.setdefault(name, len(numbering)) for name in encoded.dictionary.to_pylist()),
                        np.int32, len(encoded.dictionary))
    return local[encoded.indices.to_numpy(zero_copy_only=False)]


def _joined(arrays: list[np.ndarray], dtype: type) -> np.ndarray:
    return np.concatenate(arrays).astype(dtype, copy=False) if arrays else np.empty(0, dtype)


def _names(numbering: dict[str, int]) -> np.ndarray:
    names = np.empty(len(numbering), dtype=object)
    names[:] = list(numbering)
    return names
