"""The demo urgent-need job catalogue (重点产业急需紧缺人才需求目录), modelled on Zhengzhou 2021.

At 243 positions the industry counts and urgency stars equal the real 2021 catalogue's; for other
sizes both are scaled proportionally (largest remainder). The urgency index (紧缺指数, 0–100) follows
the catalogue's own description, a weighted blend of supply–demand, education, experience, overall
requirements and annual salary:

    composite = 0.40·supply_demand + 0.15·education + 0.10·experience + 0.10·requirements + 0.25·salary

with supply_demand = r / (1 + r) for a demand/supply ratio r ~ lognormal (scarcer for engineers and
researchers), education = rank / 6, experience = min(years, 10) / 10, requirements = ½·(certificate
required 1, preferred ½, none 0) + ½·(skills asked / 5), salary = log-position of the annual pay
between 40k and 600k yuan. Jobs are ranked by composite and the top 27/243 get ★5, the next 32/243 ★4,
then 42 ★3, 63 ★2, 79 ★1; the index is placed inside the star's band (★1 0–40, ★2 40–55, ★3 55–70,
★4 70–85, ★5 85–100) at the job's composite percentile within its star, so stars and index agree.

The returned DataFrame holds the raw columns (JOB_COLUMNS) plus ``truth_*`` columns the generator's
other parts (talent sampling, outcome events, tests) use; the writer never exports the truth.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from matcher.demo import raw_text
from matcher.demo.certificates import FAMILIES, FAMILY_INDEX, MAX_GRADES, NO_FAMILY, render_requirement
from matcher.demo.employers import generate_employers
from matcher.demo.job_templates import KEY_INDUSTRIES, TEMPLATE_INDUSTRY, TEMPLATE_TIER, TEMPLATES, TIERS

INDUSTRY_COUNTS_2021 = np.array([46, 27, 23, 32, 19, 5, 25, 9, 5, 9, 4, 10, 11, 18])
STAR_COUNTS_2021 = {5: 27, 4: 32, 3: 42, 2: 63, 1: 79}
STAR_BANDS = {1: (0.0, 40.0), 2: (40.0, 55.0), 3: (55.0, 70.0), 4: (70.0, 85.0), 5: (85.0, 100.0)}
JOB_COLUMNS = ("job_id", "title", "employer", "industry", "city", "county", "education", "experience",
               "certificates", "skills", "description", "salary", "headcount", "urgency_stars",
               "urgency_index", "benefits")
_BENEFITS = ("五险一金", "人才公寓", "安家补贴", "购房补贴", "子女入学", "带薪年假", "年终奖", "包吃住",
             "免费班车", "青年人才生活补贴", "餐补", "定期体检", "股权激励", "技能津贴")
_DUTY_NOTES = ("能适应倒班", "有团队合作精神", "责任心强，能吃苦耐劳", "服从工作安排",
               "有同行业工作经验者优先", "沟通协调能力强", "学习能力强")
_REQUIRED_SHARE = {"skill_level": (0.6, 0.25), "title": (0.35, 0.35), "qualification": (0.7, 0.2),
                   "special_operation": (0.8, 0.15), "other": (0.85, 0.1)}
_TIER_SCARCITY = np.array([0.0, 0.4, 0.2, 0.1, -0.1, -0.2, 0.8])  # by TIERS: researchers scarcest
_CITY_PAY = {"410100": 1.1, "410300": 1.0}


def scaled_counts(base: np.ndarray, total: int) -> np.ndarray:
    """Split ``total`` in proportion to ``base`` by largest remainder; equals ``base`` at its own sum."""
    exact = base / base.sum() * total
    counts = np.floor(exact).astype(np.int64)
    order = np.argsort(-(exact - counts), kind="stable")
    counts[order[: total - counts.sum()]] += 1
    return counts


def _certificate_demands(templates: np.ndarray, rng: np.random.Generator) -> dict[str, np.ndarray]:
    n = len(templates)
    family = np.array([FAMILY_INDEX.get(TEMPLATES[t].certificate, NO_FAMILY) for t in templates])
    kinds = [FAMILIES[f].kind if f != NO_FAMILY else "other" for f in family]
    shares = np.array([_REQUIRED_SHARE[k] for k in kinds]).reshape(n, 2)
    u = rng.random(n)
    required = (u < shares[:, 0]) & (family != NO_FAMILY)
    preferred = (u >= shares[:, 0]) & (u < shares.sum(axis=1))
    family = np.where(required | preferred, family, NO_FAMILY)
    research = np.array([TEMPLATES[t].tier == "research" for t in templates])
    grade = np.where(research, rng.choice([3, 4], n), rng.choice([1, 2, 3, 4], n, p=[0.2, 0.5, 0.25, 0.05]))
    is_driving = family == FAMILY_INDEX["驾照"]
    grade = np.where(is_driving, rng.choice([2, 3], n, p=[0.3, 0.7]), grade)
    grade = np.clip(grade, 1, MAX_GRADES[np.where(family == NO_FAMILY, 0, family)])
    return {"family": family, "grade": np.where(family == NO_FAMILY, 0, grade), "required": required}


def _urgency(tier: np.ndarray, education: np.ndarray, experience: np.ndarray, requirement: np.ndarray,
             n_skills: np.ndarray, salary_max: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The 0..1 composite of the module docstring; the demand/supply ratio is drawn here."""
    ratio = np.exp(rng.normal(_TIER_SCARCITY[tier], 0.6))
    annual = np.log(salary_max * 12)
    salary = np.clip((annual - np.log(40_000)) / (np.log(600_000) - np.log(40_000)), 0, 1)
    return (0.40 * ratio / (1 + ratio) + 0.15 * education / 6 + 0.10 * np.minimum(experience, 10) / 10
            + 0.10 * (0.5 * requirement + 0.5 * n_skills / 5) + 0.25 * salary)


def stars_and_index(composite: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Stars by composite rank with the 2021 star shares, and the 0–100 index inside each star's band."""
    counts = scaled_counts(np.array([STAR_COUNTS_2021[s] for s in (5, 4, 3, 2, 1)]), len(composite))
    order = np.argsort(-composite, kind="stable")
    stars = np.empty(len(composite), dtype=np.int64)
    index = np.empty(len(composite))
    start = 0
    for star, count in zip((5, 4, 3, 2, 1), counts, strict=True):
        members = order[start: start + count]
        low, high = STAR_BANDS[star]
        position = (count - np.arange(count) - 0.5) / max(count, 1)  # best of the star sits highest
        stars[members], index[members] = star, np.round(low + (high - low) * position, 1)
        start += count
    return stars, index


def _locations(employer_city: np.ndarray, employer_county: np.ndarray,
               rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    short = np.array([c[:-1] for c in employer_city], dtype=object)
    city = raw_text.by_form(rng.choice(4, len(short), p=[0.5, 0.25, 0.15, 0.1]), (
        lambda m: employer_city[m], lambda m: short[m], lambda m: "河南省" + employer_city[m],
        lambda m: "河南" + short[m]))
    county = np.where(rng.random(len(short)) < 0.15, "", employer_county)
    return city, county


@dataclass(frozen=True)
class Catalogue:
    """A generated catalogue: jobs (JOB_COLUMNS + truth_* columns) and their employers (EMPLOYER_COLUMNS)."""

    jobs: pd.DataFrame
    employers: pd.DataFrame


def generate_catalogue(n: int = 243, seed: int = 0) -> Catalogue:
    """The urgent-need catalogue of ``n`` positions (1..20000) and the employers offering them."""
    if not 1 <= n <= 20_000:
        raise ValueError(f"jobs: n={n} is outside 1..20000")
    rng = np.random.default_rng([seed, 1])
    per_industry = scaled_counts(INDUSTRY_COUNTS_2021, n)
    employers = generate_employers(np.maximum(1, np.ceil(per_industry / 2.5).astype(np.int64)), rng)
    truth = _job_truth(per_industry, employers, rng)
    return Catalogue(pd.concat([_render_jobs(truth, employers, rng), truth], axis=1), employers)


def generate_jobs(n: int = 243, seed: int = 0) -> pd.DataFrame:
    """The jobs of generate_catalogue(n, seed): raw JOB_COLUMNS plus truth_* columns (see module doc)."""
    return generate_catalogue(n, seed).jobs


def _draw_within(groups: list[np.ndarray], group_of_row: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """For each row, a uniform draw from the index array of its group."""
    sizes = np.array([len(g) for g in groups])
    flat = np.concatenate(groups)
    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    within = (rng.random(len(group_of_row)) * sizes[group_of_row]).astype(np.int64)
    return flat[offsets[group_of_row] + within]


def _job_truth(per_industry: np.ndarray, employers: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    n = int(per_industry.sum())
    industry = np.repeat(np.arange(len(KEY_INDUSTRIES)), per_industry)
    template_industry, employer_industry = np.array(TEMPLATE_INDUSTRY), employers.industry_index.to_numpy()
    industries = range(len(per_industry))
    template = _draw_within([np.flatnonzero(template_industry == i) for i in industries], industry, rng)
    employer = _draw_within([np.flatnonzero(employer_industry == i) for i in industries], industry, rng)
    tier = np.array(TEMPLATE_TIER)[template]
    education = np.clip(_template_values("education_rank", template) + (rng.random(n) < 0.2), 1, 6)
    experience = np.maximum(0, _template_values("experience_min", template) + rng.integers(-1, 3, n))
    city_code = employers.city_code.to_numpy()[employer]
    city_pay = np.array([_CITY_PAY.get(c, 0.9) for c in city_code])
    pay = _template_values("monthly_pay", template) * city_pay * rng.lognormal(0, 0.15, n)
    salary_min = np.round(pay / 500).astype(np.int64) * 500
    salary_max = np.round(salary_min * rng.uniform(1.2, 1.6, n) / 500).astype(np.int64) * 500
    cert = _certificate_demands(template, rng)
    n_skills = np.minimum(rng.integers(2, 5, n), np.array([len(TEMPLATES[t].skills) for t in template]))
    requirement = np.where(cert["required"], 1.0, np.where(cert["family"] != NO_FAMILY, 0.5, 0.0))
    composite = _urgency(tier, education, experience, requirement, n_skills, salary_max, rng)
    stars, index = stars_and_index(composite)
    return pd.DataFrame({
        "truth_template": template, "truth_industry": industry, "truth_tier": tier,
        "truth_employer": employer, "truth_city_code": city_code,
        "truth_county_code": employers.county_code.to_numpy()[employer],
        "truth_education_rank": education, "truth_experience_min": experience,
        "truth_salary_min": salary_min, "truth_salary_max": salary_max,
        "truth_cert_family": cert["family"], "truth_cert_grade": cert["grade"],
        "truth_cert_required": cert["required"], "truth_n_skills": n_skills,
        "truth_stars": stars, "truth_urgency_index": index,
    })


def _template_values(field: str, template: np.ndarray) -> np.ndarray:
    return np.array([getattr(t, field) for t in TEMPLATES])[template]


def _render_jobs(truth: pd.DataFrame, employers: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """The raw JOB_COLUMNS a bureau would type for each truth row."""
    n, column = len(truth), {name: truth[name].to_numpy() for name in truth.columns}
    template, employer, tier = column["truth_template"], column["truth_employer"], column["truth_tier"]
    skills_table, skills_count = raw_text.pad_lists([TEMPLATES[i].skills for i in template])
    separators = ("、", "，", "/", "；")
    skills = raw_text.join_sampled(skills_table, skills_count, column["truth_n_skills"], separators, rng)
    city, county = _locations(employers.city.to_numpy()[employer], employers.county.to_numpy()[employer], rng)
    labour = np.isin(tier, [TIERS.index(name) for name in ("worker", "agri", "service")])
    width = max(4, len(str(n)))
    return pd.DataFrame({
        "job_id": [f"ZZ2021-{i:0{width}d}" for i in range(1, n + 1)],
        "title": _titles(template, tier, rng),
        "employer": employers.name.to_numpy()[employer],
        "industry": np.array(KEY_INDUSTRIES, dtype=object)[column["truth_industry"]],
        "city": city, "county": county,
        "education": raw_text.job_education(column["truth_education_rank"], rng),
        "experience": raw_text.job_experience(column["truth_experience_min"], rng),
        "certificates": render_requirement(column["truth_cert_family"], column["truth_cert_grade"],
                                           column["truth_cert_required"], rng),
        "skills": skills,
        "description": _descriptions(skills_table, skills_count, rng),
        "salary": raw_text.job_salary(column["truth_salary_min"], column["truth_salary_max"], rng),
        "headcount": np.where(labour, rng.integers(3, 51, n), rng.integers(1, 7, n)),
        "urgency_stars": np.array(["★" * s for s in column["truth_stars"]], dtype=object),
        "urgency_index": column["truth_urgency_index"],
        "benefits": _benefits(n, rng),
    }, columns=list(JOB_COLUMNS))


def _titles(template: np.ndarray, tier: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    title = np.array([TEMPLATES[t].title for t in template], dtype=object)
    u = rng.random(len(template))
    senior = (tier == TIERS.index("engineer")) & (u < 0.15)
    urgent = (tier == TIERS.index("worker")) & (u < 0.08)
    return np.where(senior, "高级" + title, np.where(urgent, title + "（急招）", title))


def _descriptions(skills_table: np.ndarray, skills_count: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    n = len(skills_count)
    duties = raw_text.join_sampled(skills_table, skills_count, np.full(n, 2), ("、",), rng)
    return "负责" + duties + "等相关工作，" + raw_text.pick(_DUTY_NOTES, n, rng) + "。"


def _benefits(n: int, rng: np.random.Generator) -> np.ndarray:
    table = np.tile(np.array(_BENEFITS, dtype=object), (n, 1))
    counts = np.full(n, len(_BENEFITS))
    return raw_text.join_sampled(table, counts, rng.integers(2, 5, n), ("、", "，", " "), rng)
