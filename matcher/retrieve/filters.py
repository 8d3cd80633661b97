"""Hard retrieval filters: a frozen RetrievalFilters turned into an allowed mask over candidate metadata."""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, fields
from typing import Literal

import numpy as np
import pandas as pd

logger = logging.getLogger(__name__)

Side = Literal["talent", "job"]
SIDES: tuple[Side, ...] = ("talent", "job")
ID_COLUMNS: dict[Side, str] = {"talent": "talent_id", "job": "job_id"}

HOMETOWN_REGION_COLUMNS = ("hometown_province_code", "hometown_city_code", "hometown_county_code")
CURRENT_REGION_COLUMNS = ("current_city_code",)
JOB_REGION_COLUMNS = ("province_code", "city_code", "county_code")
REGION_COLUMNS: dict[Side, tuple[str, ...]] = {
    "talent": HOMETOWN_REGION_COLUMNS + CURRENT_REGION_COLUMNS, "job": JOB_REGION_COLUMNS,
}
INDUSTRY_COLUMNS = ("industry_key", "industry_section")
EDUCATION_RANK = "education_rank"
WILLING_TO_RETURN = "willing_to_return"
WORKSTATION_COLUMNS = ("workstation_id", "workstation")
FILTER_COLUMNS: dict[Side, tuple[str, ...]] = {
    "talent": (*REGION_COLUMNS["talent"], *INDUSTRY_COLUMNS, EDUCATION_RANK, WILLING_TO_RETURN,
               *WORKSTATION_COLUMNS),
    "job": (*REGION_COLUMNS["job"], *INDUSTRY_COLUMNS, EDUCATION_RANK),
}
_REGION_CODE = re.compile(r"^\d{6}$")
_MISSING_CODE = -1


@dataclass(frozen=True)
class RetrievalFilters:
    """Hard constraints on candidates; every set field must hold (fields combine with AND).

    region_codes: GB/T 2260 codes; a province code (41xxxx → 410000) admits everything inside it,
      a city code (411600) its counties. Matched against ``region_columns`` of the candidate side,
      by default all of them (a job's province/city/county; a talent's hometown and current city).
    industries: key-industry names or GB/T 4754 section letters; matches industry_key or section.
    min_education_rank: candidate's education_rank ≥ this (a missing rank fails).
    max_education_rank: candidate's education_rank ≤ this (a missing rank passes: for jobs it
      means no requirement), e.g. jobs a talent is qualified for.
    willing_to_return: talents only. workstations: talents only, workstation id or name.
    """

    region_codes: tuple[str, ...] = ()
    region_columns: tuple[str, ...] | None = None
    industries: tuple[str, ...] = ()
    min_education_rank: int | None = None
    max_education_rank: int | None = None
    willing_to_return: bool | None = None
    workstations: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for name in ("region_codes", "industries", "workstations"):
            object.__setattr__(self, name, tuple(str(v).strip() for v in getattr(self, name)))
        bad = [c for c in self.region_codes if not _REGION_CODE.match(c)]
        if bad:
            raise ValueError(f"region_codes must be 6-digit GB/T 2260 codes, got {bad}")

    @property
    def is_empty(self) -> bool:
        return all(getattr(self, f.name) in (None, ()) for f in fields(self) if f.name != "region_columns")


def _code_array(series: pd.Series) -> np.ndarray:
    codes = pd.to_numeric(series.where(series.astype(str).str.fullmatch(r"\d{6}"), None), errors="coerce")
    return codes.fillna(_MISSING_CODE).to_numpy(dtype=np.int32)


def _text_array(series: pd.Series) -> np.ndarray:
    return series.where(series.notna(), "").astype(str).str.strip().to_numpy(dtype=object)


def _flag_array(series: pd.Series) -> np.ndarray:
    """1 / 0 / -1 for True / False / unknown."""
    flags = series.map(lambda v: 1 if v is True or v == 1 else 0 if v is False or v == 0 else -1)
    return flags.to_numpy(dtype=np.int8)


def filter_metadata(frame: pd.DataFrame, side: Side) -> pd.DataFrame:
    """The side's FILTER_COLUMNS of ``frame`` in the compact form the masks use, indexed by candidate id.

    Region codes become int32 (−1 missing), education_rank float (NaN missing), willing_to_return
    int8 (1/0/−1), text columns stripped str. Absent columns are kept, all missing.
    """
    id_column = ID_COLUMNS[side]
    if id_column not in frame.columns:
        raise ValueError(f"{side} frame has no {id_column!r} column; columns are {list(frame.columns)}")
    absent = [c for c in FILTER_COLUMNS[side] if c not in frame.columns]
    if absent:
        logger.warning("%s frame lacks filter columns %s; filters on them exclude every row", side, absent)
    metadata = pd.DataFrame(index=pd.Index(frame[id_column].astype(str), name=id_column))
    for column in FILTER_COLUMNS[side]:
        if column in frame.columns:
            values = frame[column].reset_index(drop=True)
        else:
            values = pd.Series(None, index=range(len(frame)), dtype=object)
        if column in REGION_COLUMNS[side]:
            metadata[column] = _code_array(values)
        elif column == EDUCATION_RANK:
            metadata[column] = pd.to_numeric(values, errors="coerce").to_numpy(dtype=np.float64)
        elif column == WILLING_TO_RETURN:
            metadata[column] = _flag_array(values)
        else:
            metadata[column] = _text_array(values)
    if not metadata.index.is_unique:
        duplicated = metadata.index[metadata.index.duplicated()].unique()[:5].tolist()
        raise ValueError(f"{side} frame repeats {id_column} values: {duplicated}")
    return metadata


def _region_mask(metadata: pd.DataFrame, columns: tuple[str, ...], codes: tuple[str, ...]) -> np.ndarray:
    mask = np.zeros(len(metadata), dtype=bool)
    for code in codes:
        # Trailing zeros mark the level: 410000 a province, 411600 a city, 411623 a county.
        level = 10_000 if code.endswith("0000") else 100 if code.endswith("00") else 1
        for column in columns:
            values = metadata[column].to_numpy()
            mask |= (values != _MISSING_CODE) & (values // level == int(code) // level)
    return mask


def _require(side: Side, filter_name: str, columns: tuple[str, ...]) -> None:
    unknown = [c for c in columns if c not in FILTER_COLUMNS[side]]
    if unknown:
        raise ValueError(
            f"filter {filter_name!r} needs columns {unknown} that {side} candidates do not have; "
            f"{side} filter columns are {list(FILTER_COLUMNS[side])}"
        )


def allowed_rows(metadata: pd.DataFrame, side: Side, filters: RetrievalFilters) -> np.ndarray | None:
    """(len(metadata),) bool of rows passing every filter; None when ``filters`` constrain nothing."""
    if filters.is_empty:
        return None
    mask = np.ones(len(metadata), dtype=bool)
    if filters.region_codes:
        columns = filters.region_columns or REGION_COLUMNS[side]
        _require(side, "region_columns", tuple(c for c in columns if c not in REGION_COLUMNS[side]))
        mask &= _region_mask(metadata, columns, filters.region_codes)
    if filters.industries:
        wanted = list(filters.industries)
        mask &= np.logical_or.reduce([np.isin(metadata[c].to_numpy(), wanted) for c in INDUSTRY_COLUMNS])
    education = metadata[EDUCATION_RANK].to_numpy()
    if filters.min_education_rank is not None:
        mask &= education >= filters.min_education_rank
    if filters.max_education_rank is not None:
        mask &= np.isnan(education) | (education <= filters.max_education_rank)
    if filters.willing_to_return is not None:
        _require(side, "willing_to_return", (WILLING_TO_RETURN,))
        mask &= metadata[WILLING_TO_RETURN].to_numpy() == int(filters.willing_to_return)
    if filters.workstations:
        _require(side, "workstations", WORKSTATION_COLUMNS)
        wanted = list(filters.workstations)
        mask &= np.logical_or.reduce([np.isin(metadata[c].to_numpy(), wanted) for c in WORKSTATION_COLUMNS])
    return mask
