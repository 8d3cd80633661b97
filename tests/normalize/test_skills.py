"""Skill tokenization: known answers, synonyms, the catalogue dictionary, and the untouched global jieba."""
from __future__ import annotations

import jieba
import pytest

from matcher.normalize.skills import SkillTokenizer, read_skill_terms, tokenize_skills


@pytest.fixture(scope="module")
def small_tokenizer():
    """A tokenizer with a hand-given dictionary, independent of the catalogues."""
    return SkillTokenizer(terms=["数控编程", "氩弧焊", "plc"],
                          synonyms={"autocad": "cad", "spring boot": "springboot"})


@pytest.mark.parametrize(("text", "expected"), [
    ("熟练使用PLC编程和CAD制图，持有焊工证", ["plc", "cad", "焊工"]),
    ("氩弧焊、二保焊，电气维修", ["氩弧焊", "二保焊", "电气维修"]),
    ("直播带货，仓储管理，会开叉车", ["直播带货", "仓储管理", "叉车"]),
    ("精通SolidWorks、UG NX，3年以上数控编程经验", ["solidworks", "ug", "数控编程"]),
    ("Java/Python开发，熟悉Spring Boot、MySQL", ["java", "python", "开发", "springboot", "mysql"]),
    ("财务分析 会计核算 熟练使用Excel", ["财务分析", "会计核算", "excel"]),
    ("持有高压电工证和低压电工证", ["高压电工", "低压电工"]),
    ("C语言 C++ C# Go", ["c语言", "c++", "c#", "go"]),
])
def test_known_answers(text, expected):
    assert tokenize_skills(text) == expected


def test_full_width_text_is_normalised():
    assert tokenize_skills("ＰＬＣ　ＣＡＤ") == ["plc", "cad"]


def test_duplicates_are_dropped_keeping_first_order():
    assert tokenize_skills("焊接，CAD，焊接，cad，PLC") == ["焊接", "cad", "plc"]


@pytest.mark.parametrize("text", [None, "", "，。、", "熟练掌握，具有相关工作经验3年以上"])
def test_nothing_to_keep(text):
    assert tokenize_skills(text) == []


def test_single_characters_dropped_but_single_ascii_letters_kept(small_tokenizer):
    tokens = small_tokenizer.tokenize("会 r 语言 和 数控编程")
    assert "r" in tokens and "数控编程" in tokens
    assert "会" not in tokens and "和" not in tokens


def test_synonyms_and_spaced_phrases(small_tokenizer):
    assert small_tokenizer.tokenize("AutoCAD，Spring Boot") == ["cad", "springboot"]


def test_domain_terms_stay_whole(small_tokenizer):
    assert small_tokenizer.tokenize("擅长氩弧焊") == ["擅长", "氩弧焊"]


def test_occupation_names_are_in_the_default_dictionary():
    assert "多工序数控机床操作调整工" in tokenize_skills("多工序数控机床操作调整工")


def test_global_jieba_is_not_modified():
    jieba.dt.initialize()

    def snapshot():
        words = ("数控编程", "直播带货")
        return len(jieba.dt.FREQ), jieba.dt.total, *(jieba.dt.FREQ.get(w) for w in words)

    before = snapshot()
    tokenizer = SkillTokenizer(terms=["数控编程", "直播带货", "一个全新的测试词"])
    tokenizer.tokenize("数控编程 直播带货")
    tokenize_skills("数控编程 直播带货")
    assert snapshot() == before
    assert "一个全新的测试词" not in jieba.dt.FREQ


def test_skill_terms_file_format(tmp_path):
    path = tmp_path / "skill_terms.txt"
    path.write_text("# comment\nCAD|AutoCAD\n\n焊接\nc#\n", encoding="utf-8")
    terms, synonyms = read_skill_terms(path)
    assert terms == ["cad", "autocad", "焊接", "c#"]
    assert synonyms == {"autocad": "cad"}
