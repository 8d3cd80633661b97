"""Fictional personal identifiers for demo talents: names, phone numbers, GB 11643 identity numbers.

Names combine common surnames (rough frequency weights, heavier on the surnames common in Henan)
with given-name characters; phone numbers are random 11-digit 1xx numbers; identity numbers carry
the hometown county code and birth date and a valid GB 11643-1999 check digit, but the sequence
numbers are random, so none belongs to a real person except by coincidence.
"""
from __future__ import annotations

import numpy as np

from matcher.demo.raw_text import as_text

_SURNAMES = ("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许沈曾彭"
             "吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏汪田任姜范方石姚谭邹金陆郝孔白崔康毛邱秦史顾"
             "侯邵孟段雷钱尹常武乔贺申牛翟")
_SURNAME_WEIGHTS = np.concatenate([[7.5, 7.0, 6.8, 5.5], np.linspace(2.5, 0.25, len(_SURNAMES) - 4)])
_MALE_CHARS = "伟强磊军勇杰涛明超刚鹏辉浩宇博文斌峰亮飞俊建国志海东波晨阳凯帅鑫振龙兵林旭昊森豪健毅航帆"
_FEMALE_CHARS = "芳娜敏静丽艳娟霞婷雪慧玲燕倩颖琳欣悦佳梦雨晶洁萍红丹璐瑶晴蕾月媛莉洋露菲"
_SHARED_CHARS = "子一思嘉雅晓新家宏永春秋志天中"
_PHONE_PREFIXES = np.array([130, 131, 132, 133, 135, 136, 137, 138, 139, 150, 151, 152, 155, 156, 157, 158,
                            159, 166, 176, 177, 178, 180, 181, 182, 183, 185, 186, 187, 188, 189, 191, 198,
                            199])
_ID_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)
_ID_CHECK = np.array(list("10X98765432"), dtype=object)


def _chars(text: str) -> np.ndarray:
    return np.array(list(text), dtype=object)


def fictional_names(male: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """姓名: surname + one or two given-name characters matching the gender."""
    n = len(male)
    surname = _chars(_SURNAMES)[rng.choice(len(_SURNAMES), n, p=_SURNAME_WEIGHTS / _SURNAME_WEIGHTS.sum())]
    male_pool = _chars(_MALE_CHARS + _SHARED_CHARS)
    female_pool = _chars(_FEMALE_CHARS + _SHARED_CHARS)

    def given() -> np.ndarray:
        return np.where(male, male_pool[rng.integers(0, len(male_pool), n)],
                        female_pool[rng.integers(0, len(female_pool), n)])

    first, second = given(), given()
    two = rng.random(n) < 0.7
    return np.where(two, surname + first + second, surname + first)


def fake_phones(n: int, rng: np.random.Generator) -> np.ndarray:
    """手机号: an 11-digit number with a common mobile prefix."""
    prefix = _PHONE_PREFIXES[rng.integers(0, len(_PHONE_PREFIXES), n)]
    return as_text(prefix * 10**8 + rng.integers(0, 10**8, n))


def id_check_digit(first17: np.ndarray) -> np.ndarray:
    """GB 11643 check characters for an (n, 17) int array of leading digits."""
    return _ID_CHECK[(first17 @ _ID_WEIGHTS) % 11]


def fake_id_numbers(county_code: np.ndarray, birth_date: np.ndarray, male: np.ndarray,
                    rng: np.random.Generator) -> np.ndarray:
    """身份证号: county code (int), birth date (datetime64[D]), random sequence (odd for men), check digit."""
    n = len(county_code)
    ymd = birth_date.astype("datetime64[D]")
    years = ymd.astype("datetime64[Y]").astype(np.int64) + 1970
    months = ymd.astype("datetime64[M]").astype(np.int64) % 12 + 1
    days = (ymd - ymd.astype("datetime64[M]")).astype(np.int64) + 1
    sequence = rng.integers(0, 500, n) * 2 + np.where(male, 1, 0)
    number = ((county_code.astype(np.int64) * 10000 + years) * 100 + months) * 100 + days
    number = number * 1000 + sequence
    digits = (number[:, None] // 10 ** np.arange(16, -1, -1)) % 10
    return as_text(number) + id_check_digit(digits)
