"""Certificate families of the demo world and the raw ways talents and job ads write them.

Each family has ordered grades, higher is better: skill levels 1..5 stand for 五级/初级工 … 一级/高级技师
(grade = 6 - 职业技能等级), professional titles 1..4 for 初级/中级/副高级/正高级, driving licences
1..3 for C1/B2/A2 (a larger licence covers the smaller), and single-grade qualifications and special
operation permits. A holder of grade g satisfies any requirement of the same family at grade ≤ g.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

NO_FAMILY = -1

_LEVEL_WORD = ("初级", "中级", "高级", "技师", "高级技师")
_LEVEL_NUMBER = ("五", "四", "三", "二", "一")
_LEVEL_WORKER = ("初级工", "中级工", "高级工", "技师", "高级技师")


@dataclass(frozen=True)
class CertificateFamily:
    """One family of certificates; forms are indexed by grade - 1."""

    key: str
    kind: str
    held_forms: tuple[tuple[str, ...], ...]
    """How a talent writes the certificate at each grade."""
    required_forms: tuple[tuple[str, ...], ...]
    """How a job ad demands this grade or better."""
    preferred_forms: tuple[str, ...]
    """How a job ad says holders are preferred (not required)."""

    @property
    def max_grade(self) -> int:
        return len(self.held_forms)


def _skill(name: str, short: str | None = None) -> CertificateFamily:
    short = short or name
    held, required = [], []
    for word, number, worker in zip(_LEVEL_WORD, _LEVEL_NUMBER, _LEVEL_WORKER, strict=True):
        adjective = f"{word}{short}证" if word in ("初级", "中级", "高级") else f"{short}{word}证"
        held.append((f"{short}证({word})", adjective, f"{name}{number}级", f"{name}（{number}级/{worker}）",
                     f"{name}职业技能等级证书{number}级"))
        required.append((f"{short}证({word})及以上", f"{number}级/{worker}及以上{short}证",
                         f"持{word}及以上{short}证书", f"{name}{number}级及以上职业技能等级证书"))
    preferred = (f"持{short}证者优先", f"有{short}证优先")
    return CertificateFamily(name, "skill_level", tuple(held), tuple(required), preferred)


def _title(key: str, names: tuple[str, ...]) -> CertificateFamily:
    rank_words = ("初级", "中级", "副高级", "正高级")
    held = tuple(tuple(grade_names.split("|")) for grade_names in names)
    required = tuple((f"{forms[0]}及以上职称", f"{rank}及以上职称", f"具有{forms[0]}职称")
                     for forms, rank in zip(held, rank_words, strict=True))
    preferred = ("有中级及以上职称者优先", f"有{held[1][0]}职称优先")
    return CertificateFamily(key, "title", held, required, preferred)


def _single(key: str, kind: str, forms: str) -> CertificateFamily:
    held = tuple(forms.split("|"))
    return CertificateFamily(key, kind, (held,), ((f"须持有{held[0]}", held[0], f"持{held[0]}上岗"),),
                             (f"有{held[0]}优先",))


def _driving() -> CertificateFamily:
    held = (("C1驾照", "C1驾驶证", "驾照C1", "C照"), ("B2驾照", "B2驾驶证"), ("A2驾照", "A2驾驶证", "A2本"))
    required = (("C1及以上驾照", "C1驾驶证"), ("B2及以上驾驶证", "持B2驾照"), ("A2驾驶证", "须持A2驾照"))
    return CertificateFamily("驾照", "other", held, required, ("有驾照优先", "会开车优先"))


FAMILIES: tuple[CertificateFamily, ...] = (
    *(_skill(name) for name in ("焊工", "电工", "车工", "钳工", "汽车装调工", "汽车维修工", "电子设备装接工",
                                "工业机器人系统运维员", "金属热处理工", "化工总控工", "涂装工")),
    _skill("农产品食品检验员", "食品检验员"),
    *(_skill(name) for name in ("中式面点师", "中式烹调师", "药物制剂工", "药物检验员", "污水处理工",
                                "服装制版师", "家具制作工", "养老护理员")),
    _skill("企业人力资源管理师", "人力资源管理师"), _skill("农艺工"),
    _title("工程师", ("助理工程师", "工程师|中级工程师", "高级工程师|副高级工程师", "正高级工程师")),
    _title("会计师", ("初级会计师|助理会计师|初级会计职称", "中级会计师|会计师", "高级会计师",
                      "正高级会计师")),
    _title("经济师", ("助理经济师|初级经济师", "中级经济师|经济师", "高级经济师", "正高级经济师")),
    _title("农艺师", ("助理农艺师", "农艺师|中级农艺师", "高级农艺师", "正高级农艺师|农业技术推广研究员")),
    _title("社会工作师", ("助理社会工作师", "社会工作师|中级社工师", "高级社会工作师", "正高级社会工作师")),
    _title("研究员", ("研究实习员|助教", "助理研究员|讲师", "副研究员|副教授", "研究员|教授")),
    _title("药师", ("药师(初级)|药士", "主管药师", "副主任药师", "主任药师")),
    _single("教师资格证", "qualification", "教师资格证|高中教师资格证|小学教师资格证"),
    _single("执业药师", "qualification", "执业药师|执业药师资格证|执业药师(中药)"),
    _single("注册会计师", "qualification", "注册会计师|CPA|注册会计师证"),
    _single("执业兽医", "qualification", "执业兽医资格证|执业兽医|执业兽医师"),
    _single("证券从业资格", "qualification", "证券从业资格证|证券从业资格|基金从业资格证"),
    _single("叉车", "special_operation", "叉车证|叉车司机证|特种设备作业人员证(叉车N1)|N1叉车证"),
    _single("低压电工作业", "special_operation", "低压电工证|低压电工作业证|特种作业操作证（低压电工）"),
    _single("焊接与热切割作业", "special_operation",
            "焊接与热切割作业证|特种作业操作证(熔化焊接与热切割)|焊工操作证"),
    _driving(),
)
FAMILY_INDEX: dict[str, int] = {family.key: i for i, family in enumerate(FAMILIES)}
MAX_GRADES = np.array([family.max_grade for family in FAMILIES])


def _form_table(forms_of: list[list[tuple[str, ...]]]) -> tuple[np.ndarray, np.ndarray]:
    """Pack ragged forms into a (families, grades, width) object table and its form counts."""
    width = max(len(forms) for grades in forms_of for forms in grades)
    table = np.full((len(forms_of), 5, width), "", dtype=object)
    counts = np.ones((len(forms_of), 5), dtype=np.int64)
    for f, grades in enumerate(forms_of):
        for g, forms in enumerate(grades):
            table[f, g, : len(forms)] = forms
            counts[f, g] = len(forms)
    return table, counts


_HELD = _form_table([list(f.held_forms) for f in FAMILIES])
_REQUIRED = _form_table([list(f.required_forms) for f in FAMILIES])
_PREFERRED = _form_table([[f.preferred_forms] for f in FAMILIES])


def _pick(table: tuple[np.ndarray, np.ndarray], family: np.ndarray, grade: np.ndarray,
          rng: np.random.Generator) -> np.ndarray:
    forms, counts = table
    present = family != NO_FAMILY
    f, g = np.where(present, family, 0), np.clip(grade - 1, 0, 4)
    choice = (rng.random(len(family)) * counts[f, g]).astype(np.int64)
    return np.where(present, forms[f, g, choice], "")


def render_held(family: np.ndarray, grade: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Raw certificate text a talent types for each (family, grade); "" where family is NO_FAMILY."""
    return _pick(_HELD, family, grade, rng)


def render_requirement(family: np.ndarray, grade: np.ndarray, required: np.ndarray,
                       rng: np.random.Generator) -> np.ndarray:
    """Raw 证书要求 of a job: the demanded grade when required, an "优先" note otherwise, else 无/不限."""
    demanded = _pick(_REQUIRED, family, grade, rng)
    preferred = _pick(_PREFERRED, family, np.ones_like(grade), rng)
    none = np.array(["无", "不限", "无要求", ""], dtype=object)[rng.integers(0, 4, len(family))]
    return np.where(family == NO_FAMILY, none, np.where(required, demanded, preferred))


def holds_at_least(held_family: np.ndarray, held_grade: np.ndarray, family: np.ndarray,
                   grade: np.ndarray) -> np.ndarray:
    """True where a held certificate is of ``family`` at ``grade`` or better."""
    return (held_family == family) & (family != NO_FAMILY) & (held_grade >= grade)
