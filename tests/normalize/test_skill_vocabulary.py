"""The skill vocabulary: later lines win, trade names fold onto their skill, generic words never pass."""
from __future__ import annotations

import pytest

from matcher.normalize.skill_vocabulary import SkillVocabulary, read_term_lines


def test_a_later_line_moves_a_form_to_its_canonical_term():
    derived = [["熔化焊接与热切割", "电焊", "气割"], ["焊接"]]
    hand = [["焊接", "电焊", "熔化焊接与热切割"]]
    vocabulary = SkillVocabulary.from_lines([*derived, *hand])
    assert vocabulary.canonical("电焊") == "焊接"
    assert vocabulary.canonical("气割") == "焊接", "follows 气割 → 熔化焊接与热切割 → 焊接"
    assert vocabulary.terms == {"焊接"}


def test_trade_names_fold_onto_the_skill_they_name():
    vocabulary = SkillVocabulary.from_lines([["电梯维修"], ["电梯维修工"], ["焊工"], ["收银", "收银员"]])
    assert vocabulary.canonical("电梯维修工") == "电梯维修"
    assert vocabulary.canonical("焊工") == "焊工", "焊 is no term, so 焊工 stays"
    assert vocabulary.canonical("收银员") == "收银"


def test_certificate_endings_are_read_through():
    vocabulary = SkillVocabulary.from_lines([["高压电工"]])
    assert vocabulary.canonical("高压电工证") == "高压电工"
    assert vocabulary.canonical("高压电工操作证") == "高压电工"
    assert vocabulary.canonical("证") is None and vocabulary.canonical("电工证") is None


def test_generic_forms_and_terms_are_removed():
    vocabulary = SkillVocabulary.from_lines([["管理", "管理工作"], ["项目管理"], ["设备维修", "设备"]],
                                            generic=["管理", "设备"])
    assert vocabulary.canonical("管理工作") is None, "its canonical term is generic"
    assert vocabulary.canonical("设备") is None and vocabulary.canonical("设备维修") == "设备维修"
    assert vocabulary.canonical("项目管理") == "项目管理"


def test_a_synonym_cycle_is_reported():
    # 收银 → 收款 → 收银员 by the lines, and folding 收银员 onto 收银 closes the loop.
    with pytest.raises(ValueError, match="cycle"):
        SkillVocabulary.from_lines([["收款", "收银"], ["收银员", "收款"]])


def test_term_file_lines_and_errors(tmp_path):
    path = tmp_path / "terms.txt"
    path.write_text("# 注释\nCAD|AutoCAD| ＰＬＣ \n\n焊接\n", encoding="utf-8")
    assert read_term_lines(path) == [["cad", "autocad", "plc"], ["焊接"]]
    path.write_text("焊接\n" + "很" * 30 + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="line 2"):
        read_term_lines(path)
