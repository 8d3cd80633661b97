"""Rendering talents and jobs into one shared text template."""
from __future__ import annotations

import pandas as pd

from matcher.embed.render import render_job, render_jobs, render_talent, render_talents
from matcher.personal_data import MAY_HOLD_PERSONAL_DATA, PERSONAL_DATA, scrub_all

WELDER_CERTIFICATE = {"raw": "焊工三级", "kind": "skill_level", "name": "焊工",
                      "occupation_code": "6-18-02-04", "level": 3, "title_rank": None}
TALENT = {
    "talent_id": "T1", "name": "李建国", "phone": "13812345678", "id_number": "41162319900101123X",
    "current_title": "焊工", "industry": "制造业", "industry_key": "高端/智能制造",
    "skills": "氩弧焊，二保焊", "skills_norm": ["氩弧焊", "二保焊"], "certificates": "焊工三级",
    "certificates_norm": [WELDER_CERTIFICATE], "education": "大专", "major": "焊接技术与工程",
    "experience_years": 6.0, "hometown": "河南省周口市商水县",
    "summary": "本人李建国，电话 13812345678，身份证41162319900101123X，擅长压力管道焊接。",
}
JOB = {
    "job_id": "J1", "title": "焊工", "employer": "郑州某装备公司", "industry": "装备制造",
    "industry_key": "高端/智能制造", "skills": "氩弧焊、二保焊", "skills_norm": '["氩弧焊", "二保焊"]',
    "certificates": "焊工三级", "certificates_norm": [WELDER_CERTIFICATE], "education": "大专",
    "experience": "3-5年", "city": "郑州市",
    "description": "负责压力管道焊接。\n联系人：王经理 0371-65551234",
}


def test_known_talent_text():
    assert render_talent(TALENT) == (
        "职位：焊工。行业：高端/智能制造。技能：氩弧焊 二保焊。证书：焊工 三级。学历：大专。"
        "专业：焊接技术与工程。经验：6年。本人，电话 ，身份证，擅长压力管道焊接。"
    )


def test_known_job_text():
    assert render_job(JOB) == (
        "职位：焊工。行业：高端/智能制造。技能：氩弧焊 二保焊。证书：焊工 三级。学历：大专。"
        "经验：3-5年。负责压力管道焊接。 联系人：王经理 。"
    )


def test_talent_and_job_share_the_template():
    talent, job = render_talent(TALENT), render_job(JOB)
    shared = "职位：焊工。行业：高端/智能制造。技能：氩弧焊 二保焊。证书：焊工 三级。学历：大专。"
    assert talent.startswith(shared) and job.startswith(shared)


def test_personal_data_never_rendered():
    text = render_talent(TALENT)
    for value in ("李建国", "13812345678", "41162319900101123X", "周口"):
        assert value not in text


def test_raw_columns_used_when_normalised_ones_are_missing():
    row = {"talent_id": "T2", "current_title": "会计", "industry": "现代金融", "skills": "记账/报税; 审计",
           "certificates": "初级会计师", "skills_norm": [], "certificates_norm": None,
           "experience_years": 2.5}
    assert render_talent(row) == (
        "职位：会计。行业：现代金融。技能：记账 报税 审计。证书：初级会计师。经验：2.5年。"
    )


def test_frame_rendering_matches_row_rendering_and_tolerates_gaps():
    frame = pd.DataFrame([TALENT, {"talent_id": "T3", "summary": None}, {"experience_years": "16"}])
    assert render_talents(frame) == [render_talent(TALENT), "", "经验：16年。"]
    jobs = pd.DataFrame([JOB]).drop(columns=["skills_norm", "certificates_norm", "industry_key"])
    assert render_jobs(jobs) == [
        "职位：焊工。行业：装备制造。技能：氩弧焊 二保焊。证书：焊工三级。学历：大专。经验：3-5年。"
        "负责压力管道焊接。 联系人：王经理 。"
    ]


def test_long_runs_of_letters_and_chinese_are_scrubbed_in_linear_time():
    """The e-mail pattern once retried a whole run of word characters from every position: 117 KB took 5 s.
    A megabyte of each shape must render well inside the alarm (quadratic: minutes)."""
    import signal

    def too_slow(*_):
        raise TimeoutError("the personal-data scrubber is not linear in the text's length")

    previous = signal.signal(signal.SIGALRM, too_slow)
    signal.alarm(10)
    try:
        for body in ("a" * 1_000_000, "中" * 1_000_000, "a." * 500_000, "x@" + "y" * 1_000_000):
            assert render_talent({"talent_id": "T9", "summary": body})
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_email_addresses_still_scrubbed_after_words():
    text = render_talent({"talent_id": "T9", "summary": "邮箱zhang.san+1@mail.example.com，可随时联系"})
    assert "@" not in text and "example" not in text and "可随时联系" in text


def test_a_frame_renders_as_its_rows_do_one_at_a_time():
    """Repeated and missing values, fallbacks to raw columns on some rows only: each row as rendered alone."""
    rows = [TALENT, {**TALENT, "talent_id": "T4", "skills_norm": [], "certificates_norm": None, "education": None},
            {**TALENT, "talent_id": "T5", "industry_key": float("nan"), "current_title": "焊工 "},
            {**TALENT, "talent_id": "T6", "skills_norm": ["电工"], "experience_years": float("nan")},
            {"talent_id": "T7", "skills": "PLC编程、数控", "summary": "电话 0371-65551234 邮箱 a@b.cn"}]
    frame = pd.DataFrame(rows * 3)
    assert render_talents(frame) == [render_talent(row) for row in rows * 3]


def test_the_cheap_scan_finds_every_text_the_personal_data_pattern_does():
    samples = ["13812345678", "+86 13812345678", "41162319900101123X", "411623900101123", "0371-65551234",
               "037165551234", "a@b.cn", "zhang.san+1@mail.example.com", "电话：13812345678。"]
    for text in samples:
        assert PERSONAL_DATA.search(text) and MAY_HOLD_PERSONAL_DATA.search(text), text
    texts = [*samples, "１３８１２３４５６７８", "编号T20240001", "经验：5年。", "123456 is six"]
    assert scrub_all(texts) == [PERSONAL_DATA.sub("", t) for t in texts]
    assert scrub_all(texts)[-3:] == texts[-3:]
