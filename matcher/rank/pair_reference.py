"""The pair-feature kernel in plain vectorised numpy: the reference the compiled kernel is tested against, and
the path taken when ``Settings.native`` is off (no numba).

Same signature and same values as matcher.rank.pair_kernel.pair_features. Sets are compared by expanding each
pair's set elements into one array tagged with the pair's index and testing (pair, id) membership.
"""
from __future__ import annotations

import numpy as np

from matcher.normalize.major_fit import SAME_MIDDLE_CLASS_FIT, SAME_OCCUPATION_FIT
from matcher.normalize.qualification_fit import BELOW_DECAY, BELOW_FIRST_STEP, OTHER_SPECIALITY, UNSTATED_GRADE
from matcher.ragged import ranges
from matcher.rank import pair_kernel as k


def _elements(off: np.ndarray, rows: np.ndarray, s: int) -> tuple[np.ndarray, np.ndarray]:
    """Set ``s`` of each row as (pair index, position in the values array) per element."""
    start, end = off[rows, s], off[rows, s + 1]
    return np.repeat(np.arange(len(rows)), end - start), ranges(start, end)


def _member(a_group: np.ndarray, a_value: np.ndarray, b_group: np.ndarray, b_value: np.ndarray) -> np.ndarray:
    """(len(a),) bool: whether each (group, value) of a occurs among b's."""
    group, value = np.concatenate([b_group, a_group]), np.concatenate([b_value, a_value])
    if not len(group):
        return np.zeros(0, dtype=bool)
    order = np.lexsort((value, group))
    g, v = group[order], value[order]
    run = np.cumsum(np.concatenate(([True], (g[1:] != g[:-1]) | (v[1:] != v[:-1])))) - 1
    in_b = np.zeros(run[-1] + 1, dtype=bool)
    in_b[run[order < len(b_group)]] = True
    found = np.empty(len(order), dtype=bool)
    found[order] = in_b[run]
    return found[len(b_group):]


def _size(off: np.ndarray, rows: np.ndarray, s: int) -> np.ndarray:
    return off[rows, s + 1] - off[rows, s]


def _any(pair: np.ndarray, hit: np.ndarray, n: int) -> np.ndarray:
    return np.bincount(pair[hit], minlength=n) > 0


def pair_features_reference(t_rows, t_num, t_code, t_off, t_val, t_lvl, j_rows, j_num, j_code, j_off, j_val, j_lvl,
                            out) -> None:
    """Every non-retrieval feature of each pair into its FEATURE_COLUMNS column of ``out`` (as the kernel)."""
    t, j = (t_num[t_rows], t_code[t_rows]), (j_num[j_rows], j_code[j_rows])
    sides = (t_rows, t_off, t_val, t_lvl), (j_rows, j_off, j_val)
    for column, values in (*_certificates(t, j, sides).items(), *_sets(sides).items(),
                           *_major(j, sides).items(), *_qualification(j, sides).items(), *_places(t, j, sides).items(),
                           *_requirements(t, j).items()):
        out[:, column] = values


def _certificates(t, j, sides) -> dict[int, np.ndarray]:
    (t_rows, t_off, t_val, t_lvl), _ = sides
    (t_num, _), (j_num, j_code) = t, j
    n, wanted = len(t_rows), j_code[:, k.J_CERT]
    required = wanted != 0
    pair, at = _elements(t_off, t_rows, k.TS_HELD)
    match = t_val[at] == wanted[pair]
    held = np.full(n, np.nan)
    held[pair[match]] = t_lvl[at[match]]
    req_level = j_num[:, k.J_CERT_LEVEL]
    with np.errstate(invalid="ignore"):
        comparable = required & (held > 0) & ~np.isnan(req_level)
        meets = np.where(np.isnan(held), 0.0, np.where(comparable, (req_level >= held).astype(float), np.nan))
    return {k.CERT_REQUIRED: required.astype(float),
            k.CERT_HELD: np.where(required, (~np.isnan(held)).astype(float), np.nan),
            k.CERT_GAP: np.where(comparable, req_level - held, np.nan),
            k.CERT_MEETS: np.where(required & ~np.isnan(req_level), meets, np.nan),
            k.TITLE_GAP: t_num[:, k.T_TITLE_RANK] - j_num[:, k.J_TITLE_RANK]}


def _sets(sides) -> dict[int, np.ndarray]:
    """Skills and title bigrams (overlap, Jaccard) and shared leading occupation-code segments."""
    (t_rows, t_off, t_val, _), (j_rows, j_off, j_val) = sides
    n, found = len(t_rows), {}
    for ts, js in ((k.TS_SKILLS, k.JS_SKILLS), (k.TS_TITLE, k.JS_TITLE)):
        (tp, ta), (jp, ja) = _elements(t_off, t_rows, ts), _elements(j_off, j_rows, js)
        common = np.bincount(tp[_member(tp, t_val[ta], jp, j_val[ja])], minlength=n).astype(float)
        size_t, size_j = _size(t_off, t_rows, ts), _size(j_off, j_rows, js)
        known = (size_t > 0) & (size_j > 0)
        with np.errstate(invalid="ignore", divide="ignore"):
            found[ts] = np.where(known, common, np.nan), np.where(known, common / (size_t + size_j - common), np.nan)
    t0, j0 = t_off[t_rows, k.TS_OCCUPATION], j_off[j_rows, k.JS_OCCUPATION]
    lt, lj = _size(t_off, t_rows, k.TS_OCCUPATION), _size(j_off, j_rows, k.JS_OCCUPATION)
    shared, alive = np.zeros(n), np.ones(n, dtype=bool)
    for depth in range(int(np.minimum(lt, lj).max(initial=0))):
        equal = np.zeros(n, dtype=bool)
        valid = alive & (depth < lt) & (depth < lj)
        equal[valid] = t_val[t0[valid] + depth] == j_val[j0[valid] + depth]
        shared += equal
        alive &= equal
    return {k.SKILL_OVERLAP: found[k.TS_SKILLS][0], k.SKILL_JACCARD: found[k.TS_SKILLS][1],
            k.TITLE_SIMILARITY: found[k.TS_TITLE][1],
            k.OCCUPATION: np.where((lt > 0) & (lj > 0), shared, np.nan)}


def _major(j, sides) -> dict[int, np.ndarray]:
    (t_rows, t_off, t_val, _), (j_rows, j_off, j_val) = sides
    n, (_, j_code) = len(t_rows), j
    (mp, ma), (jp, ja) = _elements(t_off, t_rows, k.TS_MAJOR), _elements(j_off, j_rows, k.JS_OCCUPATION)
    under = _any(mp, _member(mp, t_val[ma], jp, j_val[ja]), n)
    middle_pair, middle_at = _elements(t_off, t_rows, k.TS_MAJOR_MIDDLE)
    near = _any(middle_pair, t_val[middle_at] == j_code[middle_pair, k.J_MIDDLE], n)
    known = (_size(t_off, t_rows, k.TS_MAJOR) > 0) & (_size(j_off, j_rows, k.JS_OCCUPATION) > 0)
    fit = np.where(under, SAME_OCCUPATION_FIT, np.where(near, SAME_MIDDLE_CLASS_FIT, 0.0))
    return {k.MAJOR: np.where(known, fit, np.nan)}


def _qualification(j, sides) -> dict[int, np.ndarray]:
    """The best qualification_fit score among the held qualifications with the required key."""
    (t_rows, t_off, t_val, t_lvl), (j_rows, j_off, j_val) = sides
    j_num, j_code = j
    wanted = j_code[:, k.J_QUALIFICATION]
    pair, at = _elements(t_off, t_rows, k.TS_QUALIFICATIONS)
    match = (t_val[at] == wanted[pair]) & (wanted[pair] != 0)
    pair, at = pair[match], at[match]
    index = (at - t_off[t_rows[pair], k.TS_QUALIFICATIONS]).astype(float)
    held_rank, req_rank = t_lvl[at], j_num[pair, k.J_QUALIFICATION_RANK]
    with np.errstate(invalid="ignore"):
        below = BELOW_FIRST_STEP * BELOW_DECAY ** np.maximum(req_rank - held_rank - 1.0, 0.0)
        grade = np.where(np.isnan(req_rank) | (held_rank >= req_rank), 1.0,
                         np.where(np.isnan(held_rank), UNSTATED_GRADE, below))
    # each required speciality of the job, per matched qualification; held ones carry their qualification's index
    entry, spec_at = _elements(j_off, j_rows[pair], k.JS_SPECIALITIES)
    held_pair, held_at = _elements(t_off, t_rows, k.TS_QUALIFICATION_SPECIALITIES)
    width = float(np.max(t_lvl[held_at], initial=0.0)) + 1.0
    wanted_key = pair[entry] * width + index[entry]
    present = _member(wanted_key, j_val[spec_at], held_pair * width + t_lvl[held_at], t_val[held_at])
    every = np.bincount(entry[~present], minlength=len(pair)) == 0
    best = np.where(wanted != 0, 0.0, np.nan)
    np.maximum.at(best, pair, grade * np.where(every, 1.0, OTHER_SPECIALITY))
    return {k.QUALIFICATION: best}


def _same(mine: np.ndarray, theirs: np.ndarray) -> np.ndarray:
    """1.0 equal, 0.0 different, NaN when either code is missing."""
    return np.where((mine == 0) | (theirs == 0), np.nan, (mine == theirs).astype(float))


def _places(t, j, sides) -> dict[int, np.ndarray]:
    (t_rows, t_off, t_val, _), _ = sides
    (t_num, t_code), (_, j_code) = t, j
    province, city, county = t_code[:, k.T_PROVINCE], t_code[:, k.T_CITY], t_code[:, k.T_COUNTY]
    job_city = j_code[:, k.J_CITY]
    hometown = np.select([(province == 0) | (j_code[:, k.J_PROVINCE] == 0),
                          (county != 0) & (county == j_code[:, k.J_COUNTY]), (city != 0) & (city == job_city),
                          province == j_code[:, k.J_PROVINCE]], [np.nan, 3.0, 2.0, 1.0], 0.0)
    pair, at = _elements(t_off, t_rows, k.TS_INTENT)
    inside = _any(pair, t_val[at] == job_city[pair], len(t_rows)).astype(float)
    known = (_size(t_off, t_rows, k.TS_INTENT) > 0) & (job_city != 0)
    return {k.HOMETOWN: hometown, k.WILLING: t_num[:, k.T_WILLING], k.INTENT: np.where(known, inside, np.nan),
            k.CURRENT_CITY: _same(t_code[:, k.T_CURRENT_CITY], job_city),
            k.INDUSTRY: _same(t_code[:, k.T_INDUSTRY], j_code[:, k.J_INDUSTRY]),
            k.SECTION: _same(t_code[:, k.T_SECTION], j_code[:, k.J_SECTION])}


def _requirements(t, j) -> dict[int, np.ndarray]:
    (t_num, _), (j_num, _) = t, j
    expected, offered = t_num[:, k.T_SALARY], j_num[:, k.J_SALARY_MAX]
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(offered > 0, (expected - offered) / offered, np.nan)
        within = np.where(np.isnan(expected) | np.isnan(offered), np.nan, (expected <= offered).astype(float))
    return {k.EDUCATION: t_num[:, k.T_EDUCATION] - j_num[:, k.J_EDUCATION],
            k.EXPERIENCE: t_num[:, k.T_EXPERIENCE] - j_num[:, k.J_EXPERIENCE],
            k.SALARY_RATIO: ratio, k.SALARY_WITHIN: within,
            k.STARS: j_num[:, k.J_STARS], k.URGENCY: j_num[:, k.J_URGENCY], k.HEADCOUNT: j_num[:, k.J_HEADCOUNT],
            k.CATEGORY: t_num[:, k.T_CATEGORY], k.AGE: t_num[:, k.T_AGE]}
