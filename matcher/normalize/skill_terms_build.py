"""Derive skill terms from the checked-in catalogues (大典 occupations, certificates, special operations).

The builder (``scripts/build_catalogs.py --skill-terms``) writes the result to
``catalogs/skill_terms_derived.txt`` in the ``canonical|synonym|…`` format of ``skill_terms.txt``; the
output is checked in and a test rebuilds it, so the file cannot drift from its sources.
"""
from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

import jieba
from jieba import posseg

from matcher.catalogs.occupations import OCCUPATION_LEVEL, load_occupations

DERIVED_HEADER = (
    "# Skill terms derived from catalogs/ by scripts/build_catalogs.py --skill-terms; do not edit by hand.\n"
    "# Sources: occupations.csv (level-4 names, aliases, name stems, key terms of definitions),\n"
    "# certificate_aliases.csv, qualifications_2021.csv, special_operations.csv. See catalogs/SOURCES.md.\n"
)
MIN_TERM, MAX_TERM = 2, 12
# Name endings that say "the person who does it": 砌筑工 → 砌筑, 养老护理员 → 养老护理, 茶艺师 → 茶艺.
OCCUPATION_SUFFIXES = ("工程技术人员", "技术人员", "专业人员", "服务人员", "人员", "技师", "工程师", "师", "员", "工")
# Endings of recruitment titles among the aliases (测试工程师, 客服专员, 运营总监, 外贸业务员).
TITLE_SUFFIXES = ("工程师", "专员", "主管", "经理", "总监", "主任", "顾问", "助理", "代表", "总裁", "长", "师", "员",
                  "工", "人员", "人", "家", "手", "生", "官")
# Certificate endings: 电梯修理证 → 电梯修理, 高压电工作业 → 高压电工.
CERTIFICATE_SUFFIXES = ("特种作业操作证", "操作证书", "操作证", "作业证", "上岗证", "资格证书", "资格证", "执业证书",
                        "执业证", "证书", "执照", "资格", "作业", "执业", "证")
# The heads of technique words in 大典 definitions (钢筋加工, 电弧喷涂, 果树修剪, 疫病防治).
TECHNIQUE_HEADS = frozenset("""
焊接 焊 加工 维修 修理 检修 安装 调试 装配 检测 检验 化验 测量 测绘 养殖 饲养 种植 栽培 育苗 嫁接 修剪 防治 繁殖
护理 烹调 烹饪 编程 设计 制图 喷涂 涂装 砌筑 抹灰 铺设 浇筑 绑扎 切割 冲压 铸造 锻造 热处理 注塑 焊装 布线 驾驶
诊疗 治疗 推拿 按摩 康复 接生 剪辑 摄影 翻译 审计 核算 保养 维保 清洗 消毒 鉴定 评估 策划 运营
""".split())
# First words of a definition phrase that are not part of a technique: 使用, 进行, 从事 ….
_NOT_MODIFIERS = frozenset("""
使用 进行 从事 操作 运用 利用 负责 对 及 和 与 或 等 的 并 其 各种 各类 相关 专用 专业 有关 一般 主要 人员 工作 生产
设备 系统 技术 项目 指导 研究 功能 测试 状况 信息 性能 质量 工程 工艺 产品 安全 试验 设施 材料 数据 工件 部件 零件
目的 患者 对象 方面 能力 要求 标准 规范 环境 用户 客户 人体 动物 植物 对象 成品 整机 组件 在线
组织 实施 计划 方案 现场 日常 过程 作业 业务 工具 仪器 机具 器具 综合 一体化 整体 配合 协助 辅助 参与 开展 提供
""".split())
# Names of 负责人 (大类 1) say a rank, not a trade.
_NOT_TRADE_PREFIXES = ("1-",)
NOUN_TAGS = frozenset({"n", "nz", "ng"})  # jieba's noun tags; vn/v (管理, 维护) make 管理运营, 维护修理
_HAN = re.compile(r"[\u4e00-\u9fff]+")
_BRACKETED = re.compile(r"[（(][^）)]*[）)]")
_CLEAN_ASCII_TERM = re.compile(r"[a-z][a-z0-9+#.\-]*")


def _clean(text: str) -> str:
    return _BRACKETED.sub("", unicodedata.normalize("NFKC", text)).lower().strip()


def _usable(term: str) -> bool:
    """A term a person might write as a skill: short, one script-run, not an 其他… catch-all."""
    if not MIN_TERM <= len(term) <= MAX_TERM or term.startswith("其他") or "/" in term:
        return False
    # Two-character codes (g1, q2, r1) are certificate categories, not skills written as such.
    return bool(_HAN.fullmatch(term) or (len(term) > 2 and _CLEAN_ASCII_TERM.fullmatch(term)))


def strip_suffix(term: str, suffixes: Iterable[str]) -> str:
    """The first matching ending removed (longest listed first), keeping at least MIN_TERM characters."""
    for suffix in suffixes:
        if term.endswith(suffix) and len(term) - len(suffix) >= MIN_TERM:
            return term[: -len(suffix)]
    return term


def strip_certificate_suffixes(term: str) -> str:
    """Endings removed until none is left: 护士执业证书 → 护士执业 → 护士."""
    while (shorter := strip_suffix(term, CERTIFICATE_SUFFIXES)) != term:
        term = shorter
    return term


def _jieba_words() -> frozenset[str]:
    path = Path(jieba.__file__).resolve().parent / "dict.txt"
    with path.open(encoding="utf-8") as handle:
        return frozenset(line.split(" ", 1)[0] for line in handle)


def _definition_terms(definition: str, tagger: posseg.POSTokenizer) -> list[str]:
    """Noun + technique pairs of a definition: 使用工具进行钢筋加工 → 钢筋加工 (钢筋 is a noun, 加工 a head)."""
    words = [(w.word, w.flag) for w in tagger.cut(_clean(definition), HMM=False) if w.word.strip()]
    found = []
    for (modifier, flag), (head, _) in zip(words, words[1:], strict=False):
        if head in TECHNIQUE_HEADS and flag in NOUN_TAGS and _HAN.fullmatch(modifier) and len(modifier) >= 2 \
                and modifier not in _NOT_MODIFIERS and modifier not in TECHNIQUE_HEADS:
            found.append(modifier + head)
    return found


def _names_a_skill(stem: str, name: str, known_words: frozenset[str]) -> bool:
    """砌筑工 → 砌筑 and 机械设计工程技术人员 → 机械设计 name skills; 汽车工程技术人员 → 汽车 names a field."""
    if any(stem.endswith(head) for head in TECHNIQUE_HEADS):
        return True
    if name.endswith("人员"):
        return len(stem) >= 4
    return stem in known_words


def occupation_lines(catalog_dir: Path, known_words: frozenset[str]) -> list[list[str]]:
    """Per level-4 occupation: its stem (when a known word) as canonical with name and aliases as synonyms."""
    tagger = posseg.POSTokenizer(jieba.Tokenizer())  # owned: jieba's global tokenizer stays untouched
    lines = []
    for occupation in load_occupations(catalog_dir):
        if occupation.level != OCCUPATION_LEVEL or occupation.code.startswith(_NOT_TRADE_PREFIXES):
            continue
        name = _clean(occupation.plain_name)
        stem = strip_suffix(name, OCCUPATION_SUFFIXES)
        forms = [stem, name] if stem != name and _names_a_skill(stem, name, known_words) else [name]
        lines.append([f for f in forms if _usable(f)])
        # Aliases are recruitment titles and keywords (软件测试, 单片机, 测试工程师): the keywords are terms of
        # their own; titles name a post, and 康复治疗师 as a synonym of 康复辅助技术咨询师 would be wrong.
        lines.extend([alias] for alias in map(_clean, occupation.aliases)
                     if _usable(alias) and not alias.endswith(TITLE_SUFFIXES))
        lines.extend([term] for term in _definition_terms(occupation.definition, tagger) if _usable(term))
    return lines


def _csv_column_terms(path: Path, columns: tuple[str, ...], skip_kinds: frozenset[str] = frozenset()) -> list[str]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row.get("kind", "") not in skip_kinds]
    cells = [row.get(column) or "" for row in rows for column in columns]
    terms = [strip_certificate_suffixes(_clean(term)) for cell in cells for term in cell.split("|")]
    return [term for term in terms if _usable(term)]


def special_operation_lines(catalog_dir: Path) -> list[list[str]]:
    """One line per operation: the name without 作业 as canonical, its aliases (without 证 …) as synonyms."""
    with (catalog_dir / "special_operations.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    lines = []
    for row in rows:
        forms = [row["operation"], *row["aliases"].split("|")]
        lines.append([t for t in (strip_certificate_suffixes(_clean(f)) for f in forms) if _usable(t)])
    return lines


def certificate_lines(catalog_dir: Path) -> list[list[str]]:
    """Qualification and certificate names without their 证/资格 endings, one term per line: their aliases
    name related but different things (电工证 → 低压电工作业), so none becomes another's synonym."""
    terms = [
        *_csv_column_terms(catalog_dir / "qualifications_2021.csv", ("name", "aliases")),
        # 职称 (工程师, 高工) name a rank, not a skill.
        *_csv_column_terms(catalog_dir / "certificate_aliases.csv", ("alias", "name"), frozenset({"title"})),
    ]
    return [[term] for term in terms]


def derive_skill_terms(catalog_dir: Path) -> str:
    """The derived term file's text: occupation lines, then certificate lines; each synonym maps to one term."""
    known_words = _jieba_words()
    canonical_of: dict[str, str] = {}
    out = [DERIVED_HEADER]
    for forms in [*occupation_lines(catalog_dir, known_words), *special_operation_lines(catalog_dir),
                  *certificate_lines(catalog_dir)]:
        if not forms:
            continue
        canonical = canonical_of.get(forms[0], forms[0])
        # A form already placed by an earlier line stays there, so no form has two canonical terms.
        synonyms = [f for f in dict.fromkeys(forms[1:]) if f not in canonical_of and f != canonical]
        if canonical in canonical_of and not synonyms:
            continue
        canonical_of.update({canonical: canonical, **{f: canonical for f in synonyms}})
        out.append("|".join([canonical, *synonyms]) + "\n")
    return "".join(out)
