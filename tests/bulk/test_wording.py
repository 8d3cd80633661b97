"""Numbers as printed: 匹配度 on 0–100 from the run's scores, durations in words, the summary's labels."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from matcher.bulk.wording import GAIN_FLOOR, ScoreScale, duration_words, summary_rows


@pytest.mark.parametrize(("seconds", "words"), [
    (0.065, "不到1秒"), (1.5, "2秒"), (59.4, "59秒"), (65, "1分05秒"), (600, "10分00秒"), (3720, "1小时02分"),
    (None, "—"),
])
def test_durations_read_as_people_say_them(seconds, words):
    assert duration_words(seconds) == words


def test_percent_maps_the_runs_lowest_score_to_0_and_highest_to_100():
    scale = ScoreScale.of(pd.Series([-2.0, 0.0, 2.0, 4.745869]))
    assert scale.percent(np.array([-2.0, 0.0, 4.745869, 1.3729345])).tolist() == [0, 30, 100, 50]
    assert scale.percent(np.array([9.0])).tolist() == [100]  # outside the run's range: clipped
    same = ScoreScale(1.0, 1.0)
    assert same.percent(np.array([1.0])).tolist() == [100]


def test_gains_keep_the_order_and_stay_positive():
    scores = pd.Series([-3.0, -1.0, 0.5, 2.0])
    gains = ScoreScale.of(scores).gains(scores)
    assert gains.iloc[0] == pytest.approx(GAIN_FLOOR) and gains.iloc[-1] == pytest.approx(1.0)
    assert gains.is_monotonic_increasing


def test_summary_rows_are_words_with_the_median_on_0_to_100():
    summary = {"talents": 3000, "seconds": 65.2, "median_score": 1.0, "score_range": [-1.0, 3.0],
               "urgent_gaps": [{}, {}], "seconds_with_outputs": 3725.0,
               "schedule": {"plan": {"date": None, "start": "09:00", "end": "12:00", "slot_minutes": 15, "slots": 12,
                                     "booths": "job", "interviewers": 2, "booth_capacity": 24, "venue": "会展中心"}}}
    rows = dict(summary_rows(summary))
    assert rows["人才数"] == "3,000" and rows["匹配用时"] == "1分05秒" and rows["含输出文件的总用时"] == "1小时02分"
    assert rows["匹配度中位数（0–100）"] == "50" and rows["急需岗位缺口数"] == "2"
    assert rows["面试时间"] == "09:00–12:00，每场15分钟，共12场"
    assert rows["展位安排"] == "每个岗位一个展位，每个展位2名面试官，可面试24人次"
    assert rows["活动日期"] == "未指定" and rows["地点"] == "会展中心"
