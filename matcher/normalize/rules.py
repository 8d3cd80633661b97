"""Column rules: how a raw record (one spreadsheet row, one API body) is cleaned, checked and normalised.

A record kind lists its plain text columns, its required columns and its rules; each rule reads a few
raw cells and returns the columns it derives plus any issues. A rule runs only when one of its source
columns is present in the record, so a spreadsheet without a 身份证号 column never blanks stored IDs.
Raw values are cell values: str, int, float, date or None.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from matcher.normalize import cells, number_policy, text_policy

MAX_ID_LENGTH = 64
PERSONAL_COLUMNS: dict[str, Callable[[str], str]] = {
    "name": cells.mask_name, "phone": cells.mask_digits, "id_number": cells.mask_digits,
}
MEMO_SIZE = 65536


@dataclass(frozen=True)
class RecordIssue:
    """A value its column cannot use; ``value`` is masked for personal columns (name, phone, ID)."""

    column: str
    value: str
    expected: str


@dataclass(frozen=True)
class NormalizedRecord:
    values: dict[str, object]
    issues: tuple[RecordIssue, ...]


Outcome = tuple[dict[str, object], tuple[RecordIssue, ...]]


@dataclass(frozen=True, eq=False)
class Rule:
    """Reads the raw cells named by ``sources`` and returns the columns it derives, plus any issues.

    Rules over repetitive columns are memoised: workstation sheets repeat the same few hundred places,
    titles and levels across 100k rows. Rules over phones and ID numbers are not: they are unique per
    person, and personal data should not linger in caches.
    """

    sources: tuple[str, ...]
    apply: Callable[..., Outcome]


@dataclass(frozen=True, eq=False)
class RecordKind:
    """How one kind of record is checked: text columns kept as cleaned text, required ones, and rules."""

    texts: tuple[str, ...]
    required: tuple[str, ...]
    rules: tuple[Rule, ...]


def rule(*sources: str, memoise: bool = True) -> Callable[[Callable[..., Outcome]], Rule]:
    def wrap(function: Callable[..., Outcome]) -> Rule:
        return Rule(sources, lru_cache(MEMO_SIZE)(function) if memoise else function)
    return wrap


def display_value(column: str, value: str) -> str:
    """The value as it may appear in messages and logs: personal columns masked."""
    mask = PERSONAL_COLUMNS.get(column)
    return mask(value) if mask else value


def issue(column: str, value: str, expected: str) -> tuple[RecordIssue, ...]:
    return (RecordIssue(column, display_value(column, value), expected),)


def parsed_rule(column: str, parser: Callable[[str], object], memoise: bool = True) -> Rule:
    """``parser``'s value for the cleaned text; None and an issue when it raises CellError."""
    def apply(value: object) -> Outcome:
        text = cells.clean_text(value)
        if text is None:
            return {column: None}, ()
        try:
            return {column: parser(text)}, ()
        except cells.CellError as error:
            return {column: None}, issue(column, text, error.expected)
    return rule(column, memoise=memoise)(apply)


def check_record(raw: Mapping[str, object], kind: RecordKind) -> NormalizedRecord:
    """Validate and normalise one record; ``values`` holds only columns derivable from ``raw``'s keys."""
    raw, issues = _within_text_policy(raw)
    clean = cells.clean_text
    values: dict[str, object] = {column: clean(raw[column]) for column in kind.texts if column in raw}
    for current in _applicable(kind, tuple(raw)):
        derived, found = current.apply(*[raw.get(source) for source in current.sources])
        values.update(derived)
        issues.extend(found)
        issues.extend(_out_of_range(current, derived, values, raw))
    for column in kind.required:
        if values.get(column) is None and not any(i.column == column for i in issues):
            issues.append(RecordIssue(column, "", "a value (this column is required)"))
    for column in _ID_COLUMNS.intersection(values):
        if isinstance(values[column], str):
            values[column] = text_policy.fold_id(values[column])  # type: ignore[arg-type]
            issues.extend(_id_issues(column, values[column]))  # type: ignore[arg-type]
    # Memoised rules hand out shared tuples; each record gets its own JSON lists.
    for column in _LIST_COLUMNS.intersection(values):
        values[column] = [dict(v) if type(v) is dict else v for v in values[column]]  # type: ignore[union-attr]
    return NormalizedRecord(values, tuple(issues))


def _within_text_policy(raw: Mapping[str, object]) -> tuple[Mapping[str, object], list[RecordIssue]]:
    """``raw`` with every text the policy refuses blanked (no parser sees it), and an issue for each."""
    issues = []
    for column, value in raw.items():
        if type(value) is str:
            problem = text_policy.text_violation(column, value)
            if problem is not None:
                issues.append(RecordIssue(column, text_policy.shown_value(display_value(column, value)), problem))
    if not issues:
        return raw, issues
    refused = {i.column for i in issues}
    return {column: None if column in refused else value for column, value in raw.items()}, issues


def _out_of_range(current: Rule, derived: Mapping[str, object], values: dict[str, object],
                  raw: Mapping[str, object]) -> list[RecordIssue]:
    """An issue on the rule's source for each number it derived that no integer column holds (that value
    is blanked), so a salary of 10^21 is the clerk's error rather than the database's."""
    if all(number_policy.fits_integer_column(value) for value in derived.values()):
        return []
    source = current.sources[0]
    for column, value in derived.items():
        if not number_policy.fits_integer_column(value):
            values[column] = None
    shown = text_policy.shown_value(display_value(source, str(raw.get(source))))
    return [RecordIssue(source, shown, number_policy.integer_expected())]


def _id_issues(column: str, value: str) -> tuple[RecordIssue, ...]:
    if len(value) > MAX_ID_LENGTH:
        return issue(column, text_policy.shown_value(value), f"an id of at most {MAX_ID_LENGTH} characters")
    problem = text_policy.id_violation(value)
    return () if problem is None else issue(column, text_policy.shown_value(value), problem)


@lru_cache(maxsize=256)
def _applicable(kind: RecordKind, present: tuple[str, ...]) -> tuple[Rule, ...]:
    return tuple(r for r in kind.rules if set(present).intersection(r.sources))


_ID_COLUMNS = frozenset({"talent_id", "job_id", "employer_id", "workstation_id"})
"""Keys stored in String(64) columns: longer ones would fail on PostgreSQL, so they are rejected everywhere."""
_LIST_COLUMNS = frozenset({"intent_city_codes", "certificates_norm", "skills_norm", "major_occupations"})
"""JSON list columns: rules return tuples (safe to memoise), records get fresh lists."""
