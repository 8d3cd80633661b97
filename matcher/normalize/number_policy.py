"""The number policy at the boundary: every whole number a record, query or key carries fits the database.

Integer columns are 32-bit on PostgreSQL (``INTEGER``); SQLite holds 64 bits, and Python ints have no
limit at all, so a salary of 10^21 parsed happily and then failed the write. One bound for every
integer that reaches a column, a key look-up, an OFFSET or a counter: what the smaller database holds.
"""
from __future__ import annotations

INTEGER_MAX = 2**31 - 1
"""The largest value an Integer column holds on every supported database (PostgreSQL's int4)."""


def fits_integer_column(value: object) -> bool:
    """Whether ``value`` (any cell a rule derived) can be stored: non-integers are not this policy's concern."""
    return type(value) is not int or -INTEGER_MAX <= value <= INTEGER_MAX


def integer_expected() -> str:
    """What a caller is told when a number is out of range."""
    return f"a number no larger than {INTEGER_MAX:,} (数值过大)"
