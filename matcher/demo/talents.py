"""Demo talent pools registered at outstation workstations, generated in vectorised chunks.

Assumptions (demo only):
- Category shares: 专业技术人才 25 %, 高技能人才 30 %, 名校学子 15 %, 企业经营管理人才 10 %, 农村实用人才 8 %,
  社会工作人才 7 %, 高层次人才 5 %. Each category draws from occupation tiers (高技能 → workers, 高层次 →
  researchers and senior engineers, 名校学子 → engineers/professionals, …); within a tier a template's weight
  is its count in the job catalogue plus one, so supply roughly follows demand.
- Ages: 名校学子 22–29, 高层次 around 45, others by occupation tier (engineers ~33, workers ~38, farmers
  ~42); education by category (高技能 mostly 中专/大专, 名校学子 本科/硕士, 高层次 博士/硕士);
  experience = age − graduation age − a gap of 0–2 years.
- Certificates follow the occupation: most workers hold their trade's skill certificate at a level rising
  with experience (中级 after 3 years, 高级 after 7, 技师 after 14, ± one level; 高级技师 is rare),
  engineers a title rising with experience (正高级 almost only for 高层次人才); some hold a second
  certificate (welders 焊接与热切割作业证, electricians 低压电工证, many a C1 driving licence).
- Hometowns: counties weighted by population and out-migration (see geography); the talent's workstation
  is the host city's prefecture station when their prefecture runs one there, else the provincial one.
- Willingness to return rises with age (and for 农村实用人才), falls for 名校学子.
- Expected pay = template median × tier factor (managers 1.1, researchers 1.2) × host-city factor
  × (1 + 3 % per year of experience, capped at 20 years) × lognormal noise (σ 0.2), rounded to 500 yuan.

Each chunk holds the raw TALENT_COLUMNS plus ``truth_*`` columns (the generator's internal truth, used by
outcomes and tests, never written out).
"""
from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd

from matcher.demo import geography
from matcher.demo.certificates import FAMILIES, FAMILY_INDEX, NO_FAMILY
from matcher.demo.job_templates import TEMPLATE_INDUSTRY, TEMPLATE_TIER, TEMPLATES, TIERS
from matcher.demo.talent_text import CATEGORIES, render_talents

_CATEGORY_SHARE = np.array([0.05, 0.25, 0.30, 0.10, 0.08, 0.07, 0.15])
_CATEGORY_TIERS: tuple[dict[str, float], ...] = (
    {"research": 0.6, "engineer": 0.4}, {"engineer": 0.55, "professional": 0.45}, {"worker": 1.0},
    {"manager": 1.0}, {"agri": 0.85, "worker": 0.15}, {"service": 1.0},
    {"engineer": 0.6, "professional": 0.3, "research": 0.1},
)
# Education rank 1..6 distribution per category (rows follow CATEGORIES).
_EDUCATION = np.array([[0, 0, 0, 0.05, 0.35, 0.60], [0, 0, 0.2, 0.6, 0.18, 0.02],
                       [0.05, 0.5, 0.35, 0.1, 0, 0], [0, 0.1, 0.3, 0.45, 0.15, 0],
                       [0.3, 0.45, 0.2, 0.05, 0, 0], [0, 0.1, 0.35, 0.5, 0.05, 0],
                       [0, 0, 0, 0.65, 0.3, 0.05]])
# Mean and spread of age by occupation tier (TIERS order): engineers are young, farmers older.
_TIER_AGE = np.array([[38, 9], [33, 7], [33, 7], [40, 7], [42, 9], [36, 9], [45, 7]])
_GRADUATION_AGE = np.array([0, 16, 19, 21, 22, 25, 28])  # indexed by education rank
_HOLDS_MAIN = np.array([0.8, 0.6, 0.6, 0.5, 0.6, 0.7, 0.95])  # by TIERS
_TIER_PAY = np.array([1.0, 1.0, 1.0, 1.1, 1.0, 1.0, 1.2])
REFERENCE_YEAR = 2023
DEFAULT_CHUNK = 100_000


def template_probabilities(jobs: pd.DataFrame | None) -> np.ndarray:
    """(n_categories, n_templates) probability of each template for a talent of each category."""
    tier = np.array(TEMPLATE_TIER)
    demand = np.ones(len(TEMPLATES))
    if jobs is not None:
        demand += np.bincount(jobs.truth_template.to_numpy(), minlength=len(TEMPLATES))
    table = np.zeros((len(CATEGORIES), len(TEMPLATES)))
    for c, tiers in enumerate(_CATEGORY_TIERS):
        for name, share in tiers.items():
            members = tier == TIERS.index(name)
            table[c, members] = share * demand[members] / demand[members].sum()
    return table / table.sum(axis=1, keepdims=True)


def _by_category(category: np.ndarray, table: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Draw a column index of ``table`` per row, using the row of the talent's category."""
    out = np.empty(len(category), dtype=np.int64)
    for c in range(len(CATEGORIES)):
        rows = np.flatnonzero(category == c)
        out[rows] = rng.choice(table.shape[1], size=len(rows), p=table[c])
    return out


def _ages(category: np.ndarray, tier: np.ndarray, education: np.ndarray,
          rng: np.random.Generator) -> np.ndarray:
    n = len(category)
    age = np.clip(np.round(rng.normal(_TIER_AGE[tier, 0], _TIER_AGE[tier, 1])), 22, 58)
    age = np.where(category == 0, np.clip(np.round(rng.normal(45, 7, n)), 32, 62), age)
    age = np.where(category == 6, 22 + np.minimum(rng.geometric(0.35, n) - 1, 7), age).astype(np.int64)
    return np.maximum(age, _GRADUATION_AGE[education])


def _certificates(template: np.ndarray, category: np.ndarray, years: np.ndarray,
                  rng: np.random.Generator) -> dict[str, np.ndarray]:
    n = len(template)
    tier = np.array(TEMPLATE_TIER)[template]
    main = np.array([FAMILY_INDEX.get(t.certificate, NO_FAMILY) for t in TEMPLATES])[template]
    main = np.where(rng.random(n) < _HOLDS_MAIN[tier], main, NO_FAMILY)
    kind = np.array([f.kind for f in FAMILIES] + ["none"])[main]
    shift = rng.choice([-1, 0, 1], n, p=[0.3, 0.55, 0.15])
    # 高级技师 and 正高级 are rare: experience alone reaches 技师 / 副高级, the top needs luck or 高层次.
    skill = 1 + (years >= 3) + (years >= 7) + (years >= 14) + shift
    senior = category == 0
    title = 1 + (years >= 4) + (years >= 10) + senior + (senior & (years >= 20)) + shift
    licence = rng.choice([1, 2, 3], n, p=[0.1, 0.3, 0.6])
    grade = np.select([kind == "skill_level", kind == "title", kind == "other"],
                      [np.clip(skill, 1, 5), np.clip(title, 1, 4), licence], 1)
    extra = np.array([FAMILY_INDEX.get(t.extra_certificate, NO_FAMILY) for t in TEMPLATES])[template]
    u, v = rng.random(n), rng.random(n)
    teacher = np.isin(category, [5, 6]) & (v > 0.85)
    teaching = np.where(teacher, FAMILY_INDEX["教师资格证"], NO_FAMILY)
    generic = np.where(v < 0.3, FAMILY_INDEX["驾照"], teaching)
    second = np.where((extra != NO_FAMILY) & (u < 0.45), extra, generic)
    second = np.where(second == main, NO_FAMILY, second)
    return {"truth_cert1_family": main, "truth_cert1_grade": np.where(main == NO_FAMILY, 0, grade),
            "truth_cert2_family": second, "truth_cert2_grade": np.where(second == NO_FAMILY, 0, 1)}


def _truth(n: int, jobs: pd.DataFrame | None, rng: np.random.Generator) -> pd.DataFrame:
    category = rng.choice(len(CATEGORIES), size=n, p=_CATEGORY_SHARE)
    template = _by_category(category, template_probabilities(jobs), rng)
    tier = np.array(TEMPLATE_TIER)[template]
    education = _by_category(category, _EDUCATION, rng) + 1
    age = _ages(category, tier, education, rng)
    years = np.maximum(0, age - _GRADUATION_AGE[education] - rng.integers(0, 3, n))
    counties = geography.henan_counties()
    county = rng.choice(len(counties), size=n, p=counties.hometown_weight.to_numpy())
    city_index = {code: i for i, code in enumerate(geography.henan_cities().code)}
    home_city = np.array([city_index[c] for c in counties.city_code])[county]
    host = rng.choice(len(geography.HOST_CITIES), size=n, p=_host_weights())
    pay = (np.array([t.monthly_pay for t in TEMPLATES])[template] * _TIER_PAY[tier]
           * np.array([h.salary_factor for h in geography.HOST_CITIES])[host]
           * (1 + 0.03 * np.minimum(years, 20)) * rng.lognormal(0, 0.2, n))
    willing = rng.random(n) < 1 / (1 + np.exp(1.0 - 0.06 * (age - 30) - 0.8 * (category == 4)
                                              + 0.4 * (category == 6)))
    truth = pd.DataFrame({
        "truth_category": category, "truth_template": template, "truth_tier": tier,
        "truth_industry": np.array(TEMPLATE_INDUSTRY)[template],
        "truth_male": rng.random(n) < np.array([t.male_share for t in TEMPLATES])[template],
        "truth_age": age, "truth_birth_year": REFERENCE_YEAR - age, "truth_education_rank": education,
        "truth_experience_years": years,
        "truth_county_code": counties.code.to_numpy()[county], "truth_county_index": county,
        "truth_city_code": counties.city_code.to_numpy()[county], "truth_city_index": home_city,
        "truth_host": host, "truth_workstation": geography.station_lookup()[home_city, host],
        "truth_salary": np.maximum(2500, np.round(pay / 500) * 500).astype(np.int64),
        "truth_willing": willing,
    })
    return truth.assign(**_certificates(template, category, years, rng))


def _host_weights() -> np.ndarray:
    weights = np.array([h.weight for h in geography.HOST_CITIES])
    return weights / weights.sum()


def generate_talents(n: int, seed: int = 0, jobs: pd.DataFrame | None = None,
                     chunk_size: int = DEFAULT_CHUNK) -> Iterator[pd.DataFrame]:
    """Yield ``n`` talents in chunks of ``chunk_size`` rows: raw TALENT_COLUMNS plus truth_* columns.

    Output depends only on (n, seed, jobs, chunk_size); chunk k uses its own generator seeded with
    (seed, 2, k), so chunks can be produced and written one at a time.
    """
    if not 1 <= n <= 2_000_000:
        raise ValueError(f"talents: n={n} is outside 1..2000000")
    for k, start in enumerate(range(0, n, chunk_size)):
        rng = np.random.default_rng([seed, 2, k])
        truth = _truth(min(chunk_size, n - start), jobs, rng)
        raw = render_talents(truth, start, rng)
        yield pd.concat([raw, truth], axis=1)


def talents_frame(n: int, seed: int = 0, jobs: pd.DataFrame | None = None) -> pd.DataFrame:
    """All ``n`` talents as one DataFrame (for small n; use generate_talents to stream large pools)."""
    return pd.concat(list(generate_talents(n, seed, jobs)), ignore_index=True)
