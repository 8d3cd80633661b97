"""Personal data in free text: the shapes of phone and ID numbers and e-mail addresses, and their removal.

Used twice: rendering drops them from what is embedded and indexed, and every log record is scrubbed of
them as a last line of defence (messages, arguments and tracebacks alike), whichever library logged it.
Names have no shape to find; they are kept out of logs by never logging record values at all (the
database engine hides statement parameters, see matcher.store.db).
"""
from __future__ import annotations

import logging
import re

# Linear time: an e-mail address is only tried where a run of its characters starts (the look-behind),
# so a long run of letters or Chinese characters is scanned once, not once per position.
PERSONAL_DATA = re.compile(
    r"(?<![0-9A-Za-z])(?:\d{17}[\dXx]|\d{15}|(?:\+?86[- ]?)?1[3-9]\d{9}|0\d{2,3}-?\d{7,8})(?![0-9A-Za-z])"
    r"|(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
)
LOG_MASK = "[隐去]"
MAY_HOLD_PERSONAL_DATA = re.compile(r"\d{7}|@")
"""Found in every text PERSONAL_DATA matches (each number shape ends in 7 or more digits in a row; an address
holds an @), and missing from most texts: a cheap scan that spares most texts the full pattern. Change the
two together."""


def scrub(text: str, replacement: str = LOG_MASK) -> str:
    """``text`` with every phone number, ID number and e-mail address replaced."""
    return PERSONAL_DATA.sub(replacement, text)


def scrub_all(texts: list[str], replacement: str = "") -> list[str]:
    """:func:`scrub` of each text, the full pattern tried only on texts that may hold personal data."""
    return [PERSONAL_DATA.sub(replacement, t) if MAY_HOLD_PERSONAL_DATA.search(t) else t for t in texts]


def _scrubbed(record: logging.LogRecord) -> logging.LogRecord:
    try:
        message = record.getMessage()
    except Exception:  # a malformed format string: keep what was logged, scrubbed
        message = f"{record.msg} {record.args}"
    record.msg, record.args = scrub(message), ()
    if record.exc_info and not record.exc_text:
        record.exc_text = scrub(logging.Formatter().formatException(record.exc_info))
    if record.stack_info:
        record.stack_info = scrub(record.stack_info)
    return record


def install_log_scrubbing() -> None:
    """Scrub every log record of this process as it is made (idempotent)."""
    factory = logging.getLogRecordFactory()
    if getattr(factory, "scrubs_personal_data", False):
        return

    def scrubbing_factory(*args: object, **kwargs: object) -> logging.LogRecord:
        return _scrubbed(factory(*args, **kwargs))

    scrubbing_factory.scrubs_personal_data = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(scrubbing_factory)
