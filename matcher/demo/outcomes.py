"""Recommendation outcome events (viewed/applied/interviewed/hired/rejected) driven by a hidden fit model.

The fit model below is private to this module on purpose: the ranker must learn only from the recorded
events, so nothing else in the project may import the underscore functions here. Assumptions:

- Impressions: each talent is shown 3 + Poisson(3) jobs (at most 12), as a recommender log would hold:
  33 % of the same occupation template (else the same key industry, else any job when the catalogue has
  none), 22 % of the same key industry, 45 % uniformly random. Duplicate (talent, job) pairs are dropped.
- Occupation match: same template 1.0, same occupation code 0.9, same 中类 (first two code groups) 0.5,
  same key industry 0.3, else 0.
- Hometown proximity: the job in the talent's home county 1.0, home prefecture 0.6, elsewhere in Henan 0.2
  (every demo job is in Henan and every demo talent Henan-born). Its weight grows with age
  (0.2 + 0.04 per year over 25, capped at 30 years) and is 1.5× for talents willing to return, 0.3× otherwise.
- Salary fit: r = job max pay / expected pay; −2.5·(1 − r) below expectations, +0.5·(r − 1) up to r = 1.5
  above; talents under 30 weigh it 1.5×.
- Education: each rank below the requirement costs 1.0 with the employer; being over-qualified by more than
  one rank costs 0.3 per rank with the talent. Experience: each year short of the minimum costs 0.25.
- Certificates: a talent holding none of the required family at the required grade is never hired (and,
  at −2.0 with the employer, rarely interviewed); meeting a requirement adds 0.2, holding a merely
  preferred certificate 0.5.
- Urgency: urgent jobs lower the employer's bar by 0.6·(index − 50)/50.
- Interaction: willing talents whose occupation matches get +0.4·match·proximity on top.
- Noise: N(0, 0.7) on the talent's and the employer's side separately.
- Funnel: viewed ~ logistic(match, proximity); applied | viewed ~ logistic(talent interest); interviewed |
  applied ~ logistic(employer interest), otherwise rejected (60 %) or no answer; hired | interviewed ~
  logistic(both) × certificate gate, otherwise rejected. A talent accepts at most one offer (the best);
  other offers are declined and leave no event. Headcount limits are ignored.
- Time: each talent's session starts uniformly in 2023-01-01 .. 2023-05-01; views follow within an
  exponential 3 days, applications within 3 days, interviews 2–10 days later, decisions 1–14 days after
  that, screening rejections 1–7 days after applying.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from matcher.demo.certificates import holds_at_least
from matcher.demo.job_templates import TEMPLATES

EVENT_COLUMNS = ("talent_id", "job_id", "kind", "occurred_at")
EVENT_KINDS = ("viewed", "applied", "interviewed", "hired", "rejected")
_SESSION_START = np.datetime64("2023-01-01T00:00:00")
_DAY = 86_400
_CODES = np.array([t.occupation_code for t in TEMPLATES], dtype=object)
_GROUPS = np.array([t.occupation_code[:4] for t in TEMPLATES], dtype=object)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _draw_from_groups(key: np.ndarray, job_key: np.ndarray, fallback: np.ndarray,
                      rng: np.random.Generator) -> np.ndarray:
    """A random job row whose job_key equals each key; ``fallback`` where no job has that key."""
    order = np.argsort(job_key, kind="stable")
    sorted_keys = job_key[order]
    left, right = np.searchsorted(sorted_keys, key, "left"), np.searchsorted(sorted_keys, key, "right")
    size = right - left
    pick = left + (rng.random(len(key)) * np.maximum(size, 1)).astype(np.int64)
    return np.where(size > 0, order[np.minimum(pick, len(order) - 1)], fallback)


def _impressions(talents: pd.DataFrame, jobs: pd.DataFrame,
                 rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """(talent row, job row) pairs of what the recommender showed."""
    shown = np.minimum(3 + rng.poisson(3, len(talents)), 12)
    talent = np.repeat(np.arange(len(talents)), shown)
    n = len(talent)
    random_job = rng.integers(0, len(jobs), n)
    industry = talents.truth_industry.to_numpy()[talent]
    same_industry = _draw_from_groups(industry, jobs.truth_industry.to_numpy(), random_job, rng)
    template = talents.truth_template.to_numpy()[talent]
    same_template = _draw_from_groups(template, jobs.truth_template.to_numpy(), same_industry, rng)
    u = rng.random(n)
    job = np.where(u < 0.33, same_template, np.where(u < 0.55, same_industry, random_job))
    pairs = pd.DataFrame({"t": talent, "j": job}).drop_duplicates()
    return pairs.t.to_numpy(), pairs.j.to_numpy()


def _occupation_match(t_template: np.ndarray, j_template: np.ndarray, t_industry: np.ndarray,
                      j_industry: np.ndarray) -> np.ndarray:
    conditions = [t_template == j_template, _CODES[t_template] == _CODES[j_template],
                  _GROUPS[t_template] == _GROUPS[j_template], t_industry == j_industry]
    return np.select(conditions, [1.0, 0.9, 0.5, 0.3], 0.0)


def _holds(talents: pd.DataFrame, jobs: pd.DataFrame, t: np.ndarray, j: np.ndarray) -> np.ndarray:
    family, grade = jobs.truth_cert_family.to_numpy()[j], jobs.truth_cert_grade.to_numpy()[j]
    held = [(talents[f"truth_cert{k}_family"].to_numpy()[t], talents[f"truth_cert{k}_grade"].to_numpy()[t])
            for k in (1, 2)]
    return np.logical_or.reduce([holds_at_least(f, g, family, grade) for f, g in held])


def _hidden_fit(talents: pd.DataFrame, jobs: pd.DataFrame, t: np.ndarray, j: np.ndarray,
                rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Talent interest, employer interest and the certificate gate for each (talent, job) pair."""
    def tv(column: str) -> np.ndarray:
        return talents[column].to_numpy()[t]

    def jv(column: str) -> np.ndarray:
        return jobs[column].to_numpy()[j]

    match = _occupation_match(tv("truth_template"), jv("truth_template"), tv("truth_industry"),
                              jv("truth_industry"))
    proximity = np.select([tv("truth_county_code") == jv("truth_county_code"),
                           tv("truth_city_code") == jv("truth_city_code")], [1.0, 0.6], 0.2)
    age, willing = tv("truth_age"), tv("truth_willing")
    home_weight = (0.2 + 0.04 * np.clip(age - 25, 0, 30)) * np.where(willing, 1.5, 0.3)
    ratio = jv("truth_salary_max") / tv("truth_salary")
    salary = -2.5 * np.maximum(0, 1 - ratio) + 0.5 * np.clip(ratio - 1, 0, 0.5)
    gap = tv("truth_education_rank") - jv("truth_education_rank")
    shortfall = np.maximum(0, jv("truth_experience_min") - tv("truth_experience_years"))
    holds, required = _holds(talents, jobs, t, j), jv("truth_cert_required")
    has_family = jv("truth_cert_family") >= 0
    certificate = np.where(required, np.where(holds, 0.2, -2.0), np.where(has_family & holds, 0.5, 0.0))
    talent_interest = (2.0 * match + home_weight * proximity + np.where(age < 30, 1.5, 1.0) * salary
                       - 0.3 * np.maximum(0, gap - 1) + 0.4 * match * proximity * willing
                       + rng.normal(0, 0.7, len(t)))
    employer_interest = (1.5 * match + np.minimum(gap, 0) - 0.25 * shortfall + certificate
                         + 0.6 * (jv("truth_urgency_index") - 50) / 50 + rng.normal(0, 0.7, len(t)))
    return {"match": match, "proximity": proximity, "home_weight": home_weight, "talent": talent_interest,
            "employer": employer_interest, "eligible": ~required | holds}


def _funnel(fit: dict[str, np.ndarray], talent: np.ndarray,
            rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Boolean mask per event kind over the impressions."""
    n = len(talent)
    viewed = rng.random(n) < _sigmoid(-0.3 + 1.2 * fit["match"] + 0.3 * fit["home_weight"] * fit["proximity"])
    applied = viewed & (rng.random(n) < _sigmoid(-2.0 + fit["talent"]))
    interviewed = applied & (rng.random(n) < _sigmoid(-1.0 + fit["employer"]))
    screened_out = applied & ~interviewed & (rng.random(n) < 0.6)
    both = 0.5 * fit["talent"] + fit["employer"]
    offered = interviewed & fit["eligible"] & (rng.random(n) < _sigmoid(-2.5 + both))
    rows = np.flatnonzero(offered)
    offers = pd.DataFrame({"talent": talent[rows], "score": fit["talent"][rows], "row": rows})
    best = offers.sort_values(["talent", "score"], ascending=[True, False]).drop_duplicates("talent").row
    hired = np.zeros(n, dtype=bool)
    hired[best.to_numpy()] = True
    return {"viewed": viewed, "applied": applied, "interviewed": interviewed, "hired": hired,
            "screened_out": screened_out, "turned_down": interviewed & ~offered}


def _times(talent: np.ndarray, n_talents: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Seconds since _SESSION_START of each stage, per impression."""
    n = len(talent)
    session = rng.uniform(0, 120 * _DAY, n_talents)[talent]
    viewed = session + rng.exponential(3 * _DAY, n)
    applied = viewed + rng.uniform(0.05 * _DAY, 3 * _DAY, n)
    interviewed = applied + rng.uniform(2 * _DAY, 10 * _DAY, n)
    return {"viewed": viewed, "applied": applied, "interviewed": interviewed,
            "decided": interviewed + rng.uniform(_DAY, 14 * _DAY, n),
            "screened": applied + rng.uniform(_DAY, 7 * _DAY, n)}


def generate_events(talents: pd.DataFrame, jobs: pd.DataFrame, seed: int = 0,
                    chunk_index: int = 0) -> pd.DataFrame:
    """Outcome events (EVENT_COLUMNS) for ``talents`` over ``jobs``, both with their truth_* columns.

    Deterministic in (talents, jobs, seed, chunk_index); pass the chunk number when streaming so chunks
    draw independent randomness. Rows are sorted by talent, then time. Ids and kind are categoricals,
    occurred_at is datetime64[s].
    """
    rng = np.random.default_rng([seed, 3, chunk_index])
    t, j = _impressions(talents, jobs, rng)
    fit = _hidden_fit(talents, jobs, t, j, rng)
    stage, time = _funnel(fit, t, rng), _times(t, len(talents), rng)
    parts = [("viewed", stage["viewed"], time["viewed"]),
             ("applied", stage["applied"], time["applied"]),
             ("interviewed", stage["interviewed"], time["interviewed"]),
             ("rejected", stage["screened_out"], time["screened"]),
             ("hired", stage["hired"], time["decided"]),
             ("rejected", stage["turned_down"], time["decided"])]
    kind = np.concatenate([np.full(mask.sum(), name, dtype=object) for name, mask, _ in parts])
    rows = np.concatenate([np.flatnonzero(mask) for _, mask, _ in parts])
    seconds = np.concatenate([when[mask] for _, mask, when in parts]).astype(np.int64)
    order = np.lexsort((seconds, t[rows]))
    rows, kind, seconds = rows[order], kind[order], seconds[order]
    # Categoricals over the id lists keep a million-talent run from materialising millions of strings.
    return pd.DataFrame({
        "talent_id": pd.Categorical.from_codes(t[rows], categories=talents.talent_id.to_numpy()),
        "job_id": pd.Categorical.from_codes(j[rows], categories=jobs.job_id.to_numpy()),
        "kind": pd.Categorical(kind, categories=EVENT_KINDS),
        "occurred_at": _SESSION_START + seconds.astype("timedelta64[s]"),
    }, columns=list(EVENT_COLUMNS))
