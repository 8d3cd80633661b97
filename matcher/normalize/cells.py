"""Parsers for single spreadsheet cells (phone, ID number, years, flags, counts, stars, dates) and masking.

Each parser takes cleaned non-empty text and returns the typed value, or raises CellError whose
``expected`` says, in words a workstation clerk can act on, what the cell should contain.
"""
from __future__ import annotations

import math
import re
from datetime import date, datetime
from operator import mul

BLANK_MARKERS = frozenset({"", "-", "--", "—", "——", "/", "\\", "无", "暂无", "空", "null", "none", "nan",
                           "n/a", "na", "#n/a"})
_LONGEST_BLANK_MARKER = max(map(len, BLANK_MARKERS))
OLDEST_BIRTH_YEAR = 1940
YOUNGEST_WORKING_AGE = 14

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK_CHARS = "10X98765432"
YES_WORDS = frozenset({"是", "是的", "愿意", "有", "y", "yes", "true", "1", "√", "✓", "✔"})
NO_WORDS = frozenset({"否", "不是", "不愿意", "不", "无", "没有", "n", "no", "false", "0", "×", "✗", "✘"})
"""The one yes/no vocabulary (lower case): import cells and the stored flags rank reads are both parsed with it.
无 is also a blank marker, so in an import cell it reads as empty before it could read as no."""
_GENDERS = {"男": "男", "男性": "男", "m": "男", "male": "男", "女": "女", "女性": "女", "f": "女", "female": "女"}
_UNKNOWN_COUNT = frozenset({"若干", "不限", "多名", "待定"})
_CHINESE_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5}
_SEPARATORS = re.compile(r"[\s\-]")
_FLOAT_TAIL = re.compile(r"\.0+$")
_YEAR = re.compile(r"(\d{4})(?:\.0+)?\s*年?")
_COMPACT_DATE = re.compile(r"(\d{4})(?:0[1-9]|1[0-2])(?:[0-3]\d)?")
_MOBILE = re.compile(r"1\d{10}")
_LANDLINE = re.compile(r"0\d{9,11}")
_PHONE_SEPARATORS = re.compile(r"[/、,，;；|\n]|或")
_PHONE_NOISE = re.compile(r"[()（）]|电话|手机|座机|[:：]")
_EXTENSION = re.compile(r"(.*\d)\s*(?:转|分机|ext\.?|x|-)\s*(\d{1,6})", re.IGNORECASE)
_TITLE_IN_BRACKETS = re.compile(r"(.+?)[(（]([^()（）]+)[)）]")
_EMPLOYER_TITLE_SEPARATORS = re.compile(r"[\s/／、,，;；|]+|(?<=[^\d])[-—–]+(?=[^\d])")
_ORGANISATION_SUFFIXES = (
    re.compile(r"有限责任公司|股份有限公司|有限公司|集团|公司|工厂|厂|医院|卫生院|学校|中学|小学|大学|学院|幼儿园|研究院|"
               r"研究所|设计院|银行|事务所|合作社|委员会|政府"),
    re.compile(r"中心|局|站|院|所|部|处"),
)
_ID_SHAPE = re.compile(r"\d{17}[\dX]")
_SCIENTIFIC = re.compile(r"\d+(\.\d+)?E\+?\d+")
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})(?:\s*[-/.月]\s*(\d{1,2})\s*日?|\s*月)?"
                   r"(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?)?")


class CellError(ValueError):
    """A cell holds something its column cannot use; ``expected`` describes an acceptable value."""

    def __init__(self, expected: str) -> None:
        super().__init__(expected)
        self.expected = expected


def clean_text(value: object) -> str | None:
    """Spreadsheet cell → stripped text, None for empty cells and placeholders such as 无 or -."""
    if type(value) is str:  # the common case, kept cheap: it runs once per cell of a 100k-row import
        text = value.strip()
        if len(text) > _LONGEST_BLANK_MARKER or text.lower() not in BLANK_MARKERS:
            return text
        return None
    if value is None or isinstance(value, bool):
        return None if value is None else ("是" if value else "否")
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if value.is_integer():
            value = int(value)
    if isinstance(value, datetime):
        value = value.date() if value.time() == datetime.min.time() else value
    text = value.isoformat() if isinstance(value, date) else str(value).strip()
    return None if text.lower() in BLANK_MARKERS else text


def _digits(text: str) -> str:
    """Remove separators people type into numbers, and the '.0' a float round trip leaves behind."""
    return _FLOAT_TAIL.sub("", _SEPARATORS.sub("", text))


def parse_gender(text: str) -> str:
    gender = _GENDERS.get(text.strip().lower())
    if gender is None:
        raise CellError("男 or 女 (or leave empty)")
    return gender


def latest_birth_year(today: date | None = None) -> int:
    return (today or date.today()).year - YOUNGEST_WORKING_AGE


def parse_birth_year(text: str) -> int:
    """1988, 1988年, 1988.0, or a date whose year is taken (1988-06, 1988.03, 1988年3月, 198803)."""
    match = _YEAR.fullmatch(text) or _DATE.fullmatch(text) or _COMPACT_DATE.fullmatch(text)
    year = int(match.group(1)) if match else None
    latest = latest_birth_year()
    if year is None or not OLDEST_BIRTH_YEAR <= year <= latest:
        raise CellError(f"a birth year between {OLDEST_BIRTH_YEAR} and {latest}, e.g. 1988")
    return year


PHONE_EXPECTED = ("a phone number: an 11-digit mobile (13812345678) or a landline with its area code "
                  "(0394-8234567, extension 转123 allowed); two numbers separated by / or 、")


def parse_phone(text: str) -> str:
    """The first number of the cell (see parse_phones): the one stored as the primary phone."""
    return parse_phones(text)[0]


def parse_phones(text: str) -> tuple[str, ...]:
    """Every number in the cell: mobiles as 13812345678, landlines as 0394-8234567 (转123 for an extension).

    Numbers are separated by / 、 , ; or 或; two mobiles separated by a space are read as two numbers too.
    """
    if _MOBILE.fullmatch(text):  # the common case, kept cheap: it runs once per row of a 100k-row import
        return (text,)
    numbers: list[str] = []
    for part in _PHONE_SEPARATORS.split(text):
        if not part.strip():
            continue
        number = _one_phone(part)
        if number is None:
            pieces = [_one_phone(piece) for piece in part.split()]
            if len(pieces) < 2 or None in pieces:
                raise CellError(PHONE_EXPECTED)
            numbers.extend(pieces)  # type: ignore[arg-type]
        else:
            numbers.append(number)
    if not numbers:
        raise CellError(PHONE_EXPECTED)
    return tuple(dict.fromkeys(numbers))


def _one_phone(text: str) -> str | None:
    """One mobile or landline number, or None; an extension is only looked for once the whole fails."""
    number = _phone_number(text)
    if number is not None:
        return number
    extension = _EXTENSION.fullmatch(text.strip())
    if extension is None:
        return None
    main = _phone_number(extension.group(1))
    return f"{main}转{extension.group(2)}" if main and "-" in main else None


def _phone_number(text: str) -> str | None:
    digits = _digits(_PHONE_NOISE.sub("", text))
    if digits.startswith("+86"):
        digits = digits[3:]
    elif len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]
    if _MOBILE.fullmatch(digits):
        return digits
    if _LANDLINE.fullmatch(digits):
        # Area codes are 3 digits for Beijing (010) and the 02x cities, 4 digits everywhere else.
        area = 3 if digits[1] in "12" else 4
        local = digits[area:]
        return f"{digits[:area]}-{local}" if 7 <= len(local) <= 8 else None
    return None


def split_employer_title(text: str) -> tuple[str | None, str | None]:
    """现工作单位及职务 → (employer, title): '郑州宇通客车股份有限公司 电气工程师' → both parts.

    Split at a separator (space, /, -, 、, comma, brackets) when there is one, else after the last
    organisation suffix (公司, 厂, 医院, 学校 …). A cell with neither is taken as a title alone.
    """
    text = text.strip()
    bracketed = _TITLE_IN_BRACKETS.fullmatch(text)
    if bracketed:
        return bracketed.group(1).strip() or None, bracketed.group(2).strip() or None
    pieces = [piece for piece in _EMPLOYER_TITLE_SEPARATORS.split(text) if piece]
    if len(pieces) >= 2:
        return "".join(pieces[:-1]), pieces[-1]
    suffix = None
    for pattern in _ORGANISATION_SUFFIXES:  # a company's 技术部 is part of the title, not the employer
        for match in pattern.finditer(text):
            suffix = match
        if suffix is not None:
            break
    if suffix is None:
        return None, text or None
    employer, title = text[:suffix.end()], text[suffix.end():]
    return employer, title or None


def id_check_char(first17: str) -> str:
    """The GB 11643 check character for the first 17 digits of a citizen ID number."""
    return _ID_CHECK_CHARS[sum(map(mul, map(int, first17), _ID_WEIGHTS)) % 11]


def parse_id_number(text: str) -> str:
    """An 18-character citizen ID number (GB 11643): valid birth date and check character."""
    value = _digits(text).upper()
    if _SCIENTIFIC.fullmatch(value):
        raise CellError("an 18-character ID number; Excel turned this one into a number and lost digits — "
                        "format the column as text and enter it again")
    if not _ID_SHAPE.fullmatch(value) or id_check_char(value[:17]) != value[17]:
        raise CellError("an 18-character ID number (GB 11643) with a valid check character")
    try:
        born = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise CellError("an 18-character ID number (GB 11643) whose digits 7–14 are a real birth date") from None
    # Only someone born this century can be too young; skip the clock for everyone else.
    if born.year < OLDEST_BIRTH_YEAR or (born.year >= 2000 and born.year > latest_birth_year()):
        raise CellError("an 18-character ID number (GB 11643) with a plausible birth year")
    return value


def id_birth_year(id_number: str) -> int:
    return int(id_number[6:10])


def yes_no(value: object) -> bool | None:
    """A bool as it is; any other value's text (stripped, case-insensitive) looked up in YES_WORDS / NO_WORDS;
    None when missing or not a yes/no answer."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower() if value is not None else ""
    if text in YES_WORDS:
        return True
    if text in NO_WORDS:
        return False
    return None


def parse_flag(text: str) -> bool:
    flag = yes_no(text)
    if flag is None:
        raise CellError("是 or 否 (or leave empty)")
    return flag


def parse_headcount(text: str) -> int | None:
    """A positive number of people (5, 5人, 5名); 若干 / 不限 mean 'not stated' and give None."""
    if text in _UNKNOWN_COUNT:
        return None
    match = re.fullmatch(r"(\d+)(?:\.0+)?\s*[人名个位]?", text)
    if not match or int(match.group(1)) <= 0:
        raise CellError("a positive whole number of people, e.g. 5 or 5人 (若干 if not known)")
    return int(match.group(1))


def parse_stars(text: str) -> int:
    """Urgency 1–5: a digit, a Chinese numeral with 星, or ★ characters."""
    stars = text.count("★")
    if stars and not text.replace("★", "").replace("☆", "").strip():
        value: int | None = stars
    else:
        match = re.fullmatch(r"([1-5一二两三四五])(?:\.0+)?\s*(?:颗?星)?", text)
        value = None if not match else _CHINESE_DIGITS.get(match.group(1)) or int(match.group(1))
    if value is None or not 1 <= value <= 5:
        raise CellError("an urgency of 1 to 5 stars: a number 1–5 or ★ characters")
    return value


def parse_non_negative(text: str) -> float:
    try:
        value = float(text.rstrip("%").strip())
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value < 0:
        raise CellError("a number of at least 0, e.g. 0.85 or 85")
    return value


def parse_datetime(text: str) -> datetime:
    """2024-03-01, 2024/3/1, 2024年3月1日, 2024-03 (first of the month), optionally with a time."""
    match = _DATE.fullmatch(text.strip())
    try:
        if match is None:
            raise ValueError(text)
        year, month, day, hour, minute, second = (int(g) if g else None for g in match.groups())
        return datetime(year, month, day or 1, hour or 0, minute or 0, second or 0)  # type: ignore[arg-type]
    except ValueError:
        raise CellError("a date such as 2024-03-01 (a time such as 2024-03-01 14:30 is optional)") from None


def mask_digits(value: str) -> str:
    """138****5678 style: enough to find the row, not enough to identify the person."""
    if len(value) < 8:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_name(value: str) -> str:
    return value[:1] + "*" * max(len(value) - 1, 1)
