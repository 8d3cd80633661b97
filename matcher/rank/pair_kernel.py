"""The compiled pair-feature kernel: one numba pass over the pairs writes every non-retrieval feature.

Columns and profile fields are addressed through constants derived from FEATURE_COLUMNS and the layouts, so
adding a feature never shifts a literal position. matcher.rank.pair_reference is its plain numpy twin.
"""
from __future__ import annotations

from functools import cache

import numpy as np

from matcher.normalize.major_fit import SAME_MIDDLE_CLASS_FIT, SAME_OCCUPATION_FIT
from matcher.normalize.qualification_fit import BELOW_DECAY, BELOW_FIRST_STEP, OTHER_SPECIALITY, UNSTATED_GRADE
from matcher.rank.feature_columns import COLUMN, JOB_LAYOUT, TALENT_LAYOUT

_T, _J = TALENT_LAYOUT, JOB_LAYOUT
# talent numbers, codes, sets
T_TITLE_RANK, T_EDUCATION, T_EXPERIENCE = _T.number("title_rank"), _T.number("education_rank"), \
    _T.number("experience_years")
T_SALARY, T_WILLING, T_AGE, T_CATEGORY = _T.number("expected_salary_min"), _T.number("willing_to_return"), \
    _T.number("age"), _T.number("talent_category")
T_PROVINCE, T_CITY, T_COUNTY = _T.code("hometown_province_code"), _T.code("hometown_city_code"), \
    _T.code("hometown_county_code")
T_CURRENT_CITY, T_INDUSTRY, T_SECTION = _T.code("current_city_code"), _T.code("industry_key"), \
    _T.code("industry_section")
TS_HELD, TS_SKILLS, TS_TITLE, TS_INTENT = _T.set("held_certs"), _T.set("skills"), _T.set("title_bigrams"), \
    _T.set("intent_city_codes")
TS_OCCUPATION, TS_MAJOR, TS_MAJOR_MIDDLE = _T.set("occupation_code"), _T.set("major_prefixes"), \
    _T.set("major_middles")
TS_QUALIFICATIONS, TS_QUALIFICATION_SPECIALITIES = _T.set("qualification_keys"), \
    _T.set("qualification_specialities")
# job numbers, codes, sets
J_CERT_LEVEL, J_TITLE_RANK, J_EDUCATION = _J.number("req_cert_level"), _J.number("req_title_rank"), \
    _J.number("education_rank")
J_EXPERIENCE, J_SALARY_MAX, J_STARS = _J.number("experience_min"), _J.number("salary_max"), \
    _J.number("urgency_stars")
J_URGENCY, J_HEADCOUNT, J_QUALIFICATION_RANK = _J.number("urgency_index"), _J.number("headcount"), \
    _J.number("req_qual_rank")
J_CERT, J_PROVINCE, J_CITY, J_COUNTY = _J.code("req_cert_key"), _J.code("province_code"), _J.code("city_code"), \
    _J.code("county_code")
J_INDUSTRY, J_SECTION, J_QUALIFICATION, J_MIDDLE = _J.code("industry_key"), _J.code("industry_section"), \
    _J.code("req_qual_key"), _J.code("occupation_middle")
JS_SKILLS, JS_TITLE, JS_OCCUPATION, JS_SPECIALITIES = _J.set("skills"), _J.set("title_bigrams"), \
    _J.set("occupation_code"), _J.set("req_qual_specialities")
# feature columns
CERT_REQUIRED, CERT_HELD, CERT_GAP, CERT_MEETS = (COLUMN[c] for c in (
    "cert_required", "cert_held", "cert_level_gap", "cert_meets_level"))
TITLE_GAP, SKILL_OVERLAP, SKILL_JACCARD, TITLE_SIMILARITY = (COLUMN[c] for c in (
    "title_rank_gap", "skill_overlap", "skill_jaccard", "title_similarity"))
OCCUPATION, MAJOR, QUALIFICATION, HOMETOWN = (COLUMN[c] for c in (
    "occupation_match", "major_fit", "qualification_fit", "hometown_level"))
WILLING, INTENT, CURRENT_CITY, INDUSTRY, SECTION = (COLUMN[c] for c in (
    "willing_to_return", "job_city_in_intent", "current_city_same", "industry_same_key", "industry_same_section"))
EDUCATION, EXPERIENCE, SALARY_RATIO, SALARY_WITHIN = (COLUMN[c] for c in (
    "education_gap", "experience_gap", "salary_gap_ratio", "salary_within"))
STARS, URGENCY, HEADCOUNT, CATEGORY, AGE = (COLUMN[c] for c in (
    "urgency_stars", "urgency_index", "headcount", "talent_category", "age"))


def pair_features(t_rows, t_num, t_code, t_off, t_val, t_lvl, j_rows, j_num, j_code, j_off, j_val, j_lvl,
                  out):  # pragma: no cover - compiled
    """Every non-retrieval feature of each pair into its FEATURE_COLUMNS column of ``out``. Arithmetic in
    float64, stored as float32."""
    nan = np.nan
    for p in range(t_rows.shape[0]):
        t, j = t_rows[p], j_rows[p]
        # certificates: the job's first required certificate, looked up among the talent's held ones
        required = j_code[j, J_CERT] != 0
        held = nan  # NaN: not held; 0: held without a level; 1..5: the level held
        if required:
            for k in range(t_off[t, TS_HELD], t_off[t, TS_HELD + 1]):
                if t_val[k] == j_code[j, J_CERT]:
                    held = t_lvl[k]
                    break
        req_level = j_num[j, J_CERT_LEVEL]
        comparable = required and held > 0 and not np.isnan(req_level)
        out[p, CERT_REQUIRED] = 1.0 if required else 0.0
        out[p, CERT_HELD] = (0.0 if np.isnan(held) else 1.0) if required else nan
        out[p, CERT_GAP] = req_level - held if comparable else nan
        # Level 1 is the highest (一级/高级技师): a level number at or below the requirement's meets it.
        if required and not np.isnan(req_level):
            out[p, CERT_MEETS] = 0.0 if np.isnan(held) else ((1.0 if req_level >= held else 0.0) if comparable else nan)
        else:
            out[p, CERT_MEETS] = nan
        out[p, TITLE_GAP] = t_num[t, T_TITLE_RANK] - j_num[j, J_TITLE_RANK]
        # skills and titles: overlap and Jaccard of sorted distinct ids, NaN where either is empty
        for which in range(2):
            ts, js = (TS_SKILLS, JS_SKILLS) if which == 0 else (TS_TITLE, JS_TITLE)
            a, a_end, b, b_end = t_off[t, ts], t_off[t, ts + 1], j_off[j, js], j_off[j, js + 1]
            size_t, size_j, common = a_end - a, b_end - b, 0
            while a < a_end and b < b_end:
                if t_val[a] == j_val[b]:
                    common += 1
                    a += 1
                    b += 1
                elif t_val[a] < j_val[b]:
                    a += 1
                else:
                    b += 1
            known = size_t > 0 and size_j > 0
            jaccard = common / (size_t + size_j - common) if known else nan
            if which == 0:
                out[p, SKILL_OVERLAP] = common if known else nan
                out[p, SKILL_JACCARD] = jaccard
            else:
                out[p, TITLE_SIMILARITY] = jaccard
        # occupation codes: leading segments shared (the prefixes' ids agree), NaN where either is missing
        t0, t1 = t_off[t, TS_OCCUPATION], t_off[t, TS_OCCUPATION + 1]
        j0, j1 = j_off[j, JS_OCCUPATION], j_off[j, JS_OCCUPATION + 1]
        if t1 > t0 and j1 > j0:
            shared = 0
            while t0 + shared < t1 and j0 + shared < j1 and t_val[t0 + shared] == j_val[j0 + shared]:
                shared += 1
            out[p, OCCUPATION] = shared
        else:
            out[p, OCCUPATION] = nan
        # major fit (matcher.normalize.major_fit): the job's code under one of the major's prefixes (one of the
        # code's own prefix ids equals a prefix's id), else in one of their 中类
        m0, m1 = t_off[t, TS_MAJOR], t_off[t, TS_MAJOR + 1]
        if m1 > m0 and j1 > j0:
            fit = 0.0
            for k in range(m0, m1):
                for q in range(j0, j1):
                    if t_val[k] == j_val[q]:
                        fit = SAME_OCCUPATION_FIT
            if fit == 0.0:
                for k in range(t_off[t, TS_MAJOR_MIDDLE], t_off[t, TS_MAJOR_MIDDLE + 1]):
                    if t_val[k] == j_code[j, J_MIDDLE]:
                        fit = SAME_MIDDLE_CLASS_FIT
            out[p, MAJOR] = fit
        else:
            out[p, MAJOR] = nan
        # qualification fit (matcher.normalize.qualification_fit): the best score among held ones of that key
        wanted = j_code[j, J_QUALIFICATION]
        if wanted == 0:
            out[p, QUALIFICATION] = nan
        else:
            best = 0.0
            q0 = t_off[t, TS_QUALIFICATIONS]
            for e in range(q0, t_off[t, TS_QUALIFICATIONS + 1]):
                if t_val[e] != wanted:
                    continue
                held_rank, req_rank = t_lvl[e], j_num[j, J_QUALIFICATION_RANK]
                if np.isnan(req_rank):
                    grade = 1.0
                elif np.isnan(held_rank):
                    grade = UNSTATED_GRADE
                elif held_rank >= req_rank:
                    grade = 1.0
                else:
                    grade = BELOW_FIRST_STEP * BELOW_DECAY ** max(req_rank - held_rank - 1.0, 0.0)
                every = True  # each required speciality among this qualification's (levels: its index)
                for s in range(j_off[j, JS_SPECIALITIES], j_off[j, JS_SPECIALITIES + 1]):
                    found = False
                    for h in range(t_off[t, TS_QUALIFICATION_SPECIALITIES],
                                   t_off[t, TS_QUALIFICATION_SPECIALITIES + 1]):
                        if t_val[h] == j_val[s] and t_lvl[h] == e - q0:
                            found = True
                    every = every and found
                best = max(best, grade * (1.0 if every else OTHER_SPECIALITY))
            out[p, QUALIFICATION] = best
        # places: hometown against the job's county, city, province
        # (an id of 0 is a missing code, never equal to a present one; either province unknown: NaN, since an
        # unresolved place is not a different place)
        if t_code[t, T_PROVINCE] == 0 or j_code[j, J_PROVINCE] == 0:
            out[p, HOMETOWN] = nan
        elif t_code[t, T_COUNTY] != 0 and t_code[t, T_COUNTY] == j_code[j, J_COUNTY]:
            out[p, HOMETOWN] = 3.0
        elif t_code[t, T_CITY] != 0 and t_code[t, T_CITY] == j_code[j, J_CITY]:
            out[p, HOMETOWN] = 2.0
        elif t_code[t, T_PROVINCE] == j_code[j, J_PROVINCE]:
            out[p, HOMETOWN] = 1.0
        else:
            out[p, HOMETOWN] = 0.0
        out[p, WILLING] = t_num[t, T_WILLING]
        city = j_code[j, J_CITY]
        if t_off[t, TS_INTENT + 1] > t_off[t, TS_INTENT] and city != 0:
            inside = 0.0
            for k in range(t_off[t, TS_INTENT], t_off[t, TS_INTENT + 1]):
                if t_val[k] == city:
                    inside = 1.0
                    break
            out[p, INTENT] = inside
        else:
            out[p, INTENT] = nan
        # 1.0 equal, 0.0 different, NaN when either code is missing
        for column in (CURRENT_CITY, INDUSTRY, SECTION):
            mine, theirs = (t_code[t, T_CURRENT_CITY], city) if column == CURRENT_CITY else (
                (t_code[t, T_INDUSTRY], j_code[j, J_INDUSTRY]) if column == INDUSTRY
                else (t_code[t, T_SECTION], j_code[j, J_SECTION]))
            out[p, column] = nan if mine == 0 or theirs == 0 else (1.0 if mine == theirs else 0.0)
        # requirements
        out[p, EDUCATION] = t_num[t, T_EDUCATION] - j_num[j, J_EDUCATION]
        out[p, EXPERIENCE] = t_num[t, T_EXPERIENCE] - j_num[j, J_EXPERIENCE]
        expected, offered = t_num[t, T_SALARY], j_num[j, J_SALARY_MAX]
        out[p, SALARY_RATIO] = (expected - offered) / offered if offered > 0 else nan
        out[p, SALARY_WITHIN] = (1.0 if expected <= offered else 0.0) \
            if not (np.isnan(expected) or np.isnan(offered)) else nan
        out[p, STARS] = j_num[j, J_STARS]
        out[p, URGENCY] = j_num[j, J_URGENCY]
        out[p, HEADCOUNT] = j_num[j, J_HEADCOUNT]
        out[p, CATEGORY] = t_num[t, T_CATEGORY]
        out[p, AGE] = t_num[t, T_AGE]


@cache
def compiled():
    """:func:`pair_features` compiled by numba on first use (cached beside this file)."""
    from numba import njit

    return njit(cache=True, nogil=True)(pair_features)
