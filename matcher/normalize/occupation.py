"""Job titles (招聘岗位名称) → the closest level-4 occupations of 职业分类大典 2022, scored in [0, 1]."""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from scipy import sparse

from matcher.catalogs import CATALOG_DIR
from matcher.catalogs.occupations import OCCUPATION_LEVEL, Occupation, load_occupations, occupation_by_code
from matcher.normalize.job_title import clean_job_title, normalize_title_text

TITLE_ALIASES_FILE = "occupation_title_aliases.csv"

NAME_WEIGHT = 1.0  # a title matching an occupation's name or alias
TITLE_ALIAS_WEIGHT = 1.0  # a hand-written recruitment title (occupation_title_aliases.csv) found in the title
GROUP_WEIGHT = 0.7  # a match on a 大类/中类/小类 name or alias, spread over its occupations
DEFINITION_WEIGHT = 0.5  # the definition text only backs up a name match
CONTAINED_BONUS = 0.25  # the whole name/alias appears inside the title (焊工 in 招聘焊工)
CONTAINMENT_CHECK_FLOOR = 0.2  # a surface contained in the title always shares this much with it
MAX_RAW_SCORE = NAME_WEIGHT + CONTAINED_BONUS + DEFINITION_WEIGHT

CHARACTER_WEIGHT = 3.0  # single characters against bigrams/trigrams
NAME_SUFFIX_FORMS = (("工程技术人员", "工程师"), ("专业技术人员", "技术员"), ("技术人员", "技术员"),
                     ("专业人员", ""), ("人员", ""))
_ASCII_WORD = re.compile(r"[a-z][a-z0-9+#.]*|\d+[a-z]+")
_CJK = re.compile(r"[\u4e00-\u9fff]+")


@dataclass(frozen=True)
class OccupationMatch:
    code: str
    name: str
    score: float


@dataclass(frozen=True)
class _Surface:
    text: str
    targets: tuple[int, ...]  # positions in _OccupationIndex.occupations
    weight: float


@dataclass(frozen=True)
class _OccupationIndex:
    occupations: tuple[Occupation, ...]  # level 4 only
    surfaces: tuple[_Surface, ...]  # own surfaces (one target each) first, sorted by target; then group ones
    vocabulary: dict[str, int]
    idf: np.ndarray  # (V,) float64
    surface_matrix: sparse.csc_matrix  # (n_surfaces, V), rows L2-normalised tf-idf
    definition_matrix: sparse.csc_matrix  # (n_occupations, V), rows L2-normalised tf-idf
    surface_weights: np.ndarray  # (n_surfaces,) float64
    own_starts: np.ndarray  # (n_occupations,) first own surface of each occupation (every one has its name)
    n_own: int
    group_starts: np.ndarray  # (n_groups,) first surface of each group among the group surfaces
    occupation_groups: np.ndarray  # (n_occupations, 3) groups containing each occupation; n_groups = none


def title_grams(text: str) -> list[str]:
    """Features of a short Chinese text: ASCII words whole (java, plc), CJK characters, bi- and trigrams."""
    grams = _ASCII_WORD.findall(text)
    for run in _CJK.findall(text):
        grams.extend(run)
        grams.extend(run[i:i + 2] for i in range(len(run) - 1))
        grams.extend(run[i:i + 3] for i in range(len(run) - 2))
    return grams


def _read_title_aliases(path: Path) -> list[tuple[str, str]]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(enumerate(csv.DictReader(handle), start=2))
    pairs = []
    for row_no, row in rows:
        pattern, code = (row.get("title_pattern") or "").strip(), (row.get("occupation_code") or "").strip()
        occupation = occupation_by_code(code)
        if not pattern or occupation is None or occupation.level != OCCUPATION_LEVEL:
            raise ValueError(f"{path}, row {row_no}: got title_pattern={pattern!r}, "
                             f"occupation_code={code!r}; expected a non-empty pattern and the code "
                             "of a level-4 occupation in occupations.csv")
        pairs.append((normalize_title_text(pattern), code))
    return pairs


def _title_forms(name: str) -> list[str]:
    """How recruiters write a classification name: 材料工程技术人员 → 材料工程师, 会计专业人员 → 会计."""
    forms = []
    for suffix, replacement in NAME_SUFFIX_FORMS:
        if name.endswith(suffix) and len(name) - len(suffix) + len(replacement) >= 2:
            forms.append(name[: len(name) - len(suffix)] + replacement)
            break
    return forms


def _own_surfaces(occupations: tuple[Occupation, ...],
                  title_aliases: list[tuple[str, str]]) -> list[_Surface]:
    """Names, aliases and hand-written titles of each occupation, grouped by occupation in catalogue order."""
    patterns: dict[str, list[str]] = {}
    for pattern, code in title_aliases:
        patterns.setdefault(code, []).append(pattern)
    surfaces = []
    for i, occupation in enumerate(occupations):
        names = (occupation.plain_name, *_title_forms(occupation.plain_name), *occupation.aliases)
        texts = [normalize_title_text(t) for t in names]
        surfaces.extend(_Surface(t, (i,), NAME_WEIGHT) for t in dict.fromkeys(texts) if t)
        surfaces.extend(_Surface(p, (i,), TITLE_ALIAS_WEIGHT) for p in patterns.get(occupation.code, ()))
    return surfaces


def _group_surfaces(occupations: tuple[Occupation, ...]) -> tuple[list[_Surface], list[int], np.ndarray]:
    """Surfaces of 大类/中类/小类 entries, the index of each group's first surface, and (n_occupations, 3)
    group ids per occupation (padded with n_groups)."""
    groups = [g for g in load_occupations() if g.level != OCCUPATION_LEVEL]
    memberships: list[list[int]] = [[] for _ in occupations]
    surfaces: list[_Surface] = []
    starts: list[int] = []
    for group in groups:
        prefix = group.code_prefix + "-"
        members = tuple(i for i, o in enumerate(occupations) if o.code.startswith(prefix))
        texts = [t for t in dict.fromkeys(map(normalize_title_text, (group.plain_name, *group.aliases))) if t]
        if not members or not texts:
            continue
        for member in members:
            memberships[member].append(len(starts))
        starts.append(len(surfaces))
        surfaces.extend(_Surface(t, members, GROUP_WEIGHT) for t in texts)
    table = np.full((len(occupations), 3), len(starts), dtype=np.int64)
    for i, member_of in enumerate(memberships):
        table[i, : len(member_of)] = member_of[:3]
    return surfaces, starts, table


def _tfidf_rows(texts: list[str], vocabulary: dict[str, int], idf: np.ndarray) -> sparse.csc_matrix:
    rows, cols, values = [], [], []
    for r, text in enumerate(texts):
        for gram in set(title_grams(text)):
            if gram in vocabulary:
                rows.append(r)
                cols.append(vocabulary[gram])
                values.append(idf[vocabulary[gram]])
    matrix = sparse.csr_matrix((values, (rows, cols)), shape=(len(texts), len(vocabulary)))
    norms = np.sqrt(matrix.multiply(matrix).sum(axis=1)).A1
    norms[norms == 0] = 1.0
    return sparse.csc_matrix(sparse.diags(1.0 / norms) @ matrix)


def _idf(documents: list[set[str]]) -> tuple[dict[str, int], np.ndarray]:
    vocabulary: dict[str, int] = {}
    for document in documents:
        for gram in document:
            vocabulary.setdefault(gram, len(vocabulary))
    df = np.zeros(len(vocabulary))
    for document in documents:
        df[[vocabulary[g] for g in document]] += 1
    idf = np.log((1 + len(documents)) / (1 + df)) + 1.0
    single_characters = np.array([len(g) == 1 for g in vocabulary])
    return vocabulary, np.where(single_characters, idf * CHARACTER_WEIGHT, idf)


@lru_cache(maxsize=1)
def _occupation_index() -> _OccupationIndex:
    occupations = tuple(o for o in load_occupations() if o.level == OCCUPATION_LEVEL)
    own = _own_surfaces(occupations, _read_title_aliases(CATALOG_DIR / TITLE_ALIASES_FILE))
    grouped, group_starts, occupation_groups = _group_surfaces(occupations)
    surfaces = tuple(own + grouped)
    definitions = [normalize_title_text(o.definition) for o in occupations]
    # Document frequency over occupations (name, aliases and definition together), so 工/员/人员 weigh little.
    documents: list[set[str]] = [set(title_grams(d)) for d in definitions]
    for surface in own:
        documents[surface.targets[0]].update(title_grams(surface.text))
    vocabulary, idf = _idf(documents)
    own_starts = np.searchsorted([s.targets[0] for s in own], np.arange(len(occupations)))
    return _OccupationIndex(
        occupations=occupations, surfaces=surfaces, vocabulary=vocabulary, idf=idf,
        surface_matrix=_tfidf_rows([s.text for s in surfaces], vocabulary, idf),
        definition_matrix=_tfidf_rows(definitions, vocabulary, idf),
        surface_weights=np.array([s.weight for s in surfaces]), own_starts=own_starts, n_own=len(own),
        group_starts=np.array(group_starts, dtype=np.int64), occupation_groups=occupation_groups)


def _query_columns(title: str, index: _OccupationIndex) -> tuple[np.ndarray, np.ndarray]:
    columns = np.array(sorted({index.vocabulary[g] for g in title_grams(title) if g in index.vocabulary}),
                       dtype=np.int64)
    weights = index.idf[columns]
    return columns, weights / (np.linalg.norm(weights) or 1.0)


def _surface_scores(title: str, index: _OccupationIndex) -> np.ndarray:
    """Weighted similarity of the title to every surface (n_surfaces,), with the containment bonus."""
    columns, weights = _query_columns(title, index)
    sims = index.surface_matrix[:, columns] @ weights if len(columns) else np.zeros(len(index.surfaces))
    for s in np.flatnonzero(sims >= CONTAINMENT_CHECK_FLOOR):
        if index.surfaces[s].text in title:
            sims[s] += CONTAINED_BONUS
    return sims * index.surface_weights


def _occupation_scores(title: str, index: _OccupationIndex) -> np.ndarray:
    """Raw scores (n_occupations,): the best own or group surface, plus a little from the definition."""
    surface_scores = _surface_scores(title, index)
    own = np.maximum.reduceat(surface_scores[: index.n_own], index.own_starts)
    group_best = np.maximum.reduceat(surface_scores[index.n_own:], index.group_starts)
    group = np.append(group_best, 0.0)[index.occupation_groups].max(axis=1)
    scores = np.maximum(own, group)
    columns, weights = _query_columns(title, index)
    if len(columns):
        scores += DEFINITION_WEIGHT * (index.definition_matrix[:, columns] @ weights) * (scores > 0)
    return scores


@lru_cache(maxsize=65536)
def _cached_matches(title: str, top: int) -> tuple[OccupationMatch, ...]:
    index = _occupation_index()
    scores = _occupation_scores(title, index)
    best = np.argsort(-scores, kind="stable")[:top]
    return tuple(OccupationMatch(code=index.occupations[i].code, name=index.occupations[i].name,
                                 score=round(float(min(scores[i] / MAX_RAW_SCORE, 1.0)), 4))
                 for i in best if scores[i] > 0)


def match_occupations(text: str | None, top: int = 3) -> list[OccupationMatch]:
    """The ``top`` best level-4 occupations for a job title, best first; [] when nothing matches."""
    title = clean_job_title(text)
    if not title or top <= 0:
        return []
    return list(_cached_matches(title, top))
