"""Deriving skill terms from the catalogues: known answers on a tiny catalogue, and the checked-in file
matches a fresh build."""
from __future__ import annotations

import pytest

from matcher.catalogs import CATALOG_DIR
from matcher.normalize.skill_terms_build import derive_skill_terms, strip_certificate_suffixes
from matcher.normalize.skill_vocabulary import DERIVED_TERMS_FILE

OCCUPATIONS = """code,level,name,definition,aliases
1-01-00-01,4,中国共产党机关负责人,在中国共产党中央和地方各级机关中担任领导职务的人员。,
6-29-00-00,2,建筑施工人员,,
6-29-01-01,4,砌筑工,使用专业工具，进行建筑物和构筑物块体砌筑的人员。,泥瓦工
6-29-01-04,4,钢筋工,使用工具、机具、设备进行钢筋加工和钢筋安装的人员,
2-02-07-01,4,机械设计工程技术人员,从事机械产品设计的工程技术人员。,机械结构工程师|夹具设计
2-02-10-01,4,汽车工程技术人员,从事汽车研究的工程技术人员。,
4-99-00-00,4,其他社会生产和生活服务人员,,
"""
SPECIAL_OPERATIONS = """regime,category,code,operation,aliases,occupation_code
特种作业,电工作业,1.1,高压电工作业,高压电工|高压电工证|高压电工操作证,6-31-01-03
"""
QUALIFICATIONS = """id,category,type,name,issuing_body,aliases,occupation_code
5,professional_technical,准入,护士执业资格,国家卫生健康委,护士执业证书|护士证,
"""
CERTIFICATE_ALIASES = """alias,name,kind,occupation_code,level,title_rank
高工,高级工程师,title,,,
叉车证,叉车司机,special_operation,,,
"""


@pytest.fixture()
def tiny_catalogue(tmp_path):
    for name, text in [("occupations.csv", OCCUPATIONS), ("special_operations.csv", SPECIAL_OPERATIONS),
                       ("qualifications_2021.csv", QUALIFICATIONS), ("certificate_aliases.csv", CERTIFICATE_ALIASES)]:
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if not line.startswith("#")]


def test_known_lines_from_a_tiny_catalogue(tiny_catalogue):
    lines = _lines(derive_skill_terms(tiny_catalogue))
    assert "砌筑|砌筑工" in lines, "the stem names the skill, the occupation is its synonym"
    assert "夹具设计" in lines, "an alias is a term of its own, never a synonym of the occupation"
    assert "钢筋加工" in lines, "noun + technique from the definition"
    assert "机械设计|机械设计工程技术人员" in lines
    assert "汽车工程技术人员" in lines and "汽车" not in lines, "a field is not a skill"
    assert "高压电工" in lines and "护士" in lines and "叉车" in lines
    joined = "\n".join(lines)
    assert "负责人" not in joined and "其他" not in joined and "高工" not in joined
    assert "机械结构工程师" not in joined and "泥瓦工" not in joined, "aliases that are titles are left out"


def test_certificate_endings_are_stripped_to_the_name():
    assert strip_certificate_suffixes("护士执业证书") == "护士"
    assert strip_certificate_suffixes("高压电工操作证") == "高压电工"
    assert strip_certificate_suffixes("电工证") == "电工"
    assert strip_certificate_suffixes("证书") == "证书", "never below two characters"


@pytest.mark.slow
def test_checked_in_derived_terms_match_a_fresh_build():
    expected = (CATALOG_DIR / DERIVED_TERMS_FILE).read_text(encoding="utf-8")
    assert derive_skill_terms(CATALOG_DIR) == expected, "run scripts/build_catalogs.py --skill-terms"
