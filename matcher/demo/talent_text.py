"""Renders demo talents' internal truth into the raw, inconsistent text a workstation spreadsheet holds."""
from __future__ import annotations

import numpy as np
import pandas as pd

from matcher.demo import geography, raw_text
from matcher.demo.certificates import NO_FAMILY, render_held
from matcher.demo.identity import fake_id_numbers, fake_phones, fictional_names
from matcher.demo.job_templates import TEMPLATES

TALENT_COLUMNS = ("talent_id", "name", "gender", "birth_year", "phone", "id_number", "hometown",
                  "current_city", "workstation", "education", "major", "experience_years", "certificates",
                  "skills", "industry", "current_title", "summary", "expected_salary", "intent_cities",
                  "willing_to_return", "category", "updated_at")
CATEGORIES: tuple[str, ...] = ("高层次人才", "专业技术人才", "高技能人才", "企业经营管理人才", "农村实用人才",
                               "社会工作人才", "名校学子")
# How people name their industry on a form, per key industry (first is the catalogue's own name).
_INDUSTRY_WORDS = (
    ("新一代信息技术", "IT/互联网", "互联网", "软件和信息技术服务业"),
    ("电子信息", "电子", "电子信息产业", "电子制造"),
    ("高端/智能制造", "智能制造", "装备制造", "机械制造"), ("汽车及零配件", "汽车", "汽车制造", "汽车零部件"),
    ("新材料", "材料", "新材料产业", "材料制造"), ("现代食品", "食品", "食品加工", "食品制造业"),
    ("生物医药", "医药", "制药", "医药制造业"), ("节能环保", "环保", "环保节能", "环境治理"),
    ("家居与服装", "服装家居", "轻工", "纺织服装家居"), ("现代金融", "金融", "金融业", "银行/金融"),
    ("现代物流", "物流", "仓储物流", "交通运输/物流"), ("现代农业", "农业", "农林牧渔", "农牧业"),
    ("文化创意", "文化传媒", "文创", "文化创意产业"), ("其他服务", "服务业", "社会服务", "现代服务业"),
)
_TRAITS = ("能吃苦耐劳", "为人踏实", "学习能力强", "服从安排", "有责任心", "性格开朗，善于沟通", "动手能力强")
_GOING_HOME = ("想回老家发展", "愿意回河南发展", "父母年纪大了想回去照顾", "希望离家近一点")
_STAYING = ("看看机会", "暂时没有回去的打算", "希望找个平台更好的工作", "先在外面多闯几年")
_UPDATED_FROM = np.datetime64("2022-01-01T00:00:00")


def _table(rows: list[list[str]]) -> np.ndarray:
    width = max(len(r) for r in rows)
    return np.array([r + r[:1] * (width - len(r)) for r in rows], dtype=object)


def _sayings(template: np.ndarray, years: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The colloquial opener about the job, with the years in digits or Chinese numerals."""
    pre = _table([[s.split("{y}")[0] for s in t.sayings] for t in TEMPLATES])
    post = _table([[s.split("{y}")[-1] if "{y}" in s else "" for s in t.sayings] for t in TEMPLATES])
    counts = np.array([len(t.sayings) for t in TEMPLATES])[template]
    which = (rng.random(len(template)) * counts).astype(np.int64)
    capped = np.minimum(years, 99)
    chinese = rng.random(len(years)) < 0.4
    spelled = np.where(chinese, raw_text.CHINESE_NUMBERS[capped], raw_text.as_text(capped))
    return pre[template, which] + spelled + post[template, which]


def _summary(truth: pd.DataFrame, major: np.ndarray, skills: np.ndarray, home_short: np.ndarray,
             rng: np.random.Generator) -> np.ndarray:
    n = len(truth)
    years = truth.truth_experience_years.to_numpy()
    graduate = np.where(major != "", major + "专业应届毕业生", "刚毕业") + "，" + skills + "学得比较扎实"
    opener = np.where(years > 0, _sayings(truth.truth_template.to_numpy(), years, rng), graduate)
    named_home = "希望回" + home_short + "工作"
    homeward = np.where(rng.random(n) < 0.3, named_home, raw_text.pick(_GOING_HOME, n, rng))
    closer = np.where(truth.truth_willing.to_numpy(), homeward, raw_text.pick(_STAYING, n, rng))
    return opener + "，" + raw_text.pick(_TRAITS, n, rng) + "，" + closer + "。"


def _certificate_text(truth: pd.DataFrame, rng: np.random.Generator) -> np.ndarray:
    n = len(truth)
    first = render_held(truth.truth_cert1_family.to_numpy(), truth.truth_cert1_grade.to_numpy(), rng)
    second = render_held(truth.truth_cert2_family.to_numpy(), truth.truth_cert2_grade.to_numpy(), rng)
    sep = raw_text.pick(("、", "；", "，", " "), n, rng, [0.45, 0.3, 0.15, 0.1])
    both = ((truth.truth_cert1_family != NO_FAMILY) & (truth.truth_cert2_family != NO_FAMILY)).to_numpy()
    joined = np.where(both, first + sep + second, first + second)
    return np.where(joined == "", raw_text.pick(("无", "", "暂无"), n, rng), joined)


def _cities(truth: pd.DataFrame, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """(current_city, intent_cities) raw text."""
    n = len(truth)
    hosts = geography.HOST_CITIES
    forms = _table([[h.name, h.name + "市", h.province_prefix + h.name + "市"] for h in hosts])
    moved = rng.random(n) < 0.12
    where = np.where(moved, rng.integers(0, len(hosts), n), truth.truth_host.to_numpy())
    current = forms[where, rng.integers(0, 3, n)]
    cities = geography.henan_cities()
    short = cities.short_name.to_numpy().astype(object)
    home = short[truth.truth_city_index.to_numpy()]
    other = short[rng.integers(0, len(short), n)]
    willing = truth.truth_willing.to_numpy()
    first = np.where(willing, home, forms[where, 0])
    second = np.where((rng.random(n) < 0.6) & (first != "郑州"), "郑州", "")
    third = np.where((rng.random(n) < 0.2) & (other != first) & (other != "郑州"), other, "")
    sep = raw_text.pick(("、", "，", "/", " "), n, rng)
    intent = first + np.where(second != "", sep + second, "") + np.where(third != "", sep + third, "")
    return current, intent


def _titles(truth: pd.DataFrame, rng: np.random.Generator) -> np.ndarray:
    n = len(truth)
    title = np.array([t.title for t in TEMPLATES], dtype=object)[truth.truth_template.to_numpy()]
    years = truth.truth_experience_years.to_numpy()
    senior = (years >= 10) & (rng.random(n) < 0.2)
    fresh = np.where(rng.random(n) < 0.5, "应届毕业生", title + "（实习）")
    return np.where(years == 0, fresh, np.where(senior, "资深" + title, title))


def _birth_dates(truth: pd.DataFrame, rng: np.random.Generator) -> np.ndarray:
    """datetime64[D] birthdays inside each talent's truth_birth_year."""
    starts = (truth.truth_birth_year.to_numpy() - 1970).astype("datetime64[Y]").astype("datetime64[D]")
    return starts + rng.integers(0, 365, len(starts)).astype("timedelta64[D]")


def _major_and_skills(truth: pd.DataFrame, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """专业 (blank below 高中) and 2–5 of the occupation's skills joined by a random separator."""
    n, template = len(truth), truth.truth_template.to_numpy()
    majors, major_counts = raw_text.pad_lists([t.majors for t in TEMPLATES])
    major = majors[template, (rng.random(n) * major_counts[template]).astype(np.int64)]
    major = np.where(truth.truth_education_rank.to_numpy() <= 1, "", major)
    skill_table, skill_counts = raw_text.pad_lists([t.skills for t in TEMPLATES])
    skills = raw_text.join_sampled(skill_table[template], skill_counts[template], rng.integers(2, 6, n),
                                   ("、", "，", " ", "/"), rng)
    return major, skills


def render_talents(truth: pd.DataFrame, start: int, rng: np.random.Generator) -> pd.DataFrame:
    """Raw TALENT_COLUMNS for each truth row; ids are T0000001… counting from ``start``."""
    n, male = len(truth), truth.truth_male.to_numpy()
    born = _birth_dates(truth, rng)
    major, skills = _major_and_skills(truth, rng)
    hometown_forms = geography.hometown_forms()
    form = rng.choice(hometown_forms.shape[1], size=n, p=geography.HOMETOWN_FORM_WEIGHTS)
    city_short = geography.henan_cities().short_name.to_numpy().astype(object)
    home_short = city_short[truth.truth_city_index.to_numpy()]
    current, intent = _cities(truth, rng)
    industry_words = np.array(_INDUSTRY_WORDS, dtype=object)
    industry = industry_words[truth.truth_industry.to_numpy(), rng.choice(4, n, p=[0.4, 0.3, 0.15, 0.15])]
    stations = np.array([s.name for s in geography.workstations()], dtype=object)
    updated = _UPDATED_FROM + rng.integers(0, 365 * 86400, n).astype("timedelta64[s]")
    return pd.DataFrame({
        "talent_id": "T" + pd.Series(np.arange(start + 1, start + n + 1)).astype(str).str.zfill(7).to_numpy(),
        "name": fictional_names(male, rng),
        "gender": np.where(male, "男", "女").astype(object),
        "birth_year": truth.truth_birth_year.to_numpy(),
        "phone": fake_phones(n, rng),
        "id_number": fake_id_numbers(truth.truth_county_code.to_numpy().astype(np.int64), born, male, rng),
        "hometown": hometown_forms[truth.truth_county_index.to_numpy(), form],
        "current_city": current,
        "workstation": stations[truth.truth_workstation.to_numpy()],
        "education": raw_text.talent_education(truth.truth_education_rank.to_numpy(), rng),
        "major": major,
        "experience_years": raw_text.talent_experience(truth.truth_experience_years.to_numpy(), rng),
        "certificates": _certificate_text(truth, rng),
        "skills": skills,
        "industry": industry,
        "current_title": _titles(truth, rng),
        "summary": _summary(truth, major, skills, home_short, rng),
        "expected_salary": raw_text.talent_salary(truth.truth_salary.to_numpy(), rng),
        "intent_cities": intent,
        "willing_to_return": np.where(truth.truth_willing.to_numpy(), "是", "否").astype(object),
        "category": np.array(CATEGORIES, dtype=object)[truth.truth_category.to_numpy()],
        "updated_at": pd.Series(np.datetime_as_string(updated, unit="s")).str.replace("T", " ").to_numpy(),
    }, columns=list(TALENT_COLUMNS))
