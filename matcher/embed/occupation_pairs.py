"""Known-answer retrieval pairs from the catalogues (alias → occupation) and how an encoder ranks them."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from matcher.embed.catalogue_terms import ALIAS_SEPARATOR

QUERY = "query"
POSITIVE = "positive"
OCCUPATION_CODE = "occupation_code"

OCCUPATION_LEVEL = "4"
"""Level 4 of the 职业分类大典 is the occupation itself; levels 1–3 are its groups."""


def occupation_documents(catalog_dir: Path) -> pd.DataFrame:
    """Level-4 occupations as retrieval documents: columns OCCUPATION_CODE, POSITIVE ("name：definition")."""
    frame = pd.read_csv(Path(catalog_dir) / "occupations.csv", dtype=str, keep_default_na=False)
    frame = frame[frame["level"] == OCCUPATION_LEVEL]
    text = frame["name"].where(frame["definition"] == "", frame["name"] + "：" + frame["definition"])
    return pd.DataFrame({OCCUPATION_CODE: frame["code"].to_numpy(), POSITIVE: text.to_numpy()})


# Catalogues that tie what people write (titles, certificate names) to a level-4 occupation code:
# file → (query columns, code column). Missing files are skipped.
PAIR_SOURCES: dict[str, tuple[tuple[str, ...], str]] = {
    "occupations.csv": (("aliases",), "code"),
    "occupation_title_aliases.csv": (("title_pattern",), "occupation_code"),
    "certificate_aliases.csv": (("alias", "name"), "occupation_code"),
    "qualifications_2021.csv": (("name", "aliases"), "occupation_code"),
    "special_operations.csv": (("operation", "aliases"), "occupation_code"),
}


def _source_queries(path: Path, columns: tuple[str, ...], code_column: str) -> pd.DataFrame:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    parts = []
    for column in columns:
        cells = frame[[code_column, column]].rename(columns={code_column: OCCUPATION_CODE, column: QUERY})
        parts.append(cells.assign(**{QUERY: cells[QUERY].str.split(ALIAS_SEPARATOR)}).explode(QUERY))
    return pd.concat(parts, ignore_index=True)


def occupation_pairs(catalog_dir: Path) -> pd.DataFrame:
    """(QUERY, POSITIVE, OCCUPATION_CODE): every recruitment title, alias or certificate name tied to a
    level-4 occupation, with that occupation's document. Distinct (query, occupation) rows."""
    queries = [
        _source_queries(Path(catalog_dir) / name, columns, code_column)
        for name, (columns, code_column) in PAIR_SOURCES.items()
        if (Path(catalog_dir) / name).is_file()
    ]
    frame = pd.concat(queries, ignore_index=True)
    frame[QUERY] = frame[QUERY].fillna("").str.strip()
    frame = frame[frame[QUERY] != ""].drop_duplicates([QUERY, OCCUPATION_CODE])
    pairs = frame.merge(occupation_documents(catalog_dir), on=OCCUPATION_CODE, how="inner")
    return pairs[[QUERY, POSITIVE, OCCUPATION_CODE]].reset_index(drop=True)


def split_by_occupation(
    pairs: pd.DataFrame, holdout: float = 0.2, seed: int = 0
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(train, test) with whole occupations held out, so no test occupation's document is seen in training."""
    codes = np.array(sorted(pairs[OCCUPATION_CODE].unique()))
    held = set(np.random.default_rng(seed).permutation(codes)[: int(round(len(codes) * holdout))])
    in_test = pairs[OCCUPATION_CODE].isin(held)
    return pairs[~in_test].reset_index(drop=True), pairs[in_test].reset_index(drop=True)


@dataclass(frozen=True)
class RetrievalScores:
    """Mean reciprocal rank and recall@k of the right occupation among all documents."""

    queries: int
    mrr: float
    recall_at_1: float
    recall_at_10: float


def retrieval_scores(
    encode: Callable[[Sequence[str]], np.ndarray], pairs: pd.DataFrame, documents: pd.DataFrame
) -> RetrievalScores:
    """Rank all documents for each query by cosine (``encode`` returns unit rows); score the right one."""
    doc_vectors = encode(documents[POSITIVE].tolist())
    query_vectors = encode(pairs[QUERY].tolist())
    row_of = {code: row for row, code in enumerate(documents[OCCUPATION_CODE])}
    target = np.array([row_of[code] for code in pairs[OCCUPATION_CODE]])
    scores = query_vectors @ doc_vectors.T
    # rank = 1 + number of documents scoring strictly higher than the right one
    ranks = 1 + (scores > scores[np.arange(len(target)), target][:, None]).sum(axis=1)
    return RetrievalScores(
        queries=len(target),
        mrr=float(np.mean(1.0 / ranks)),
        recall_at_1=float(np.mean(ranks == 1)),
        recall_at_10=float(np.mean(ranks <= 10)),
    )
