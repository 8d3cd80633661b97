"""Bulk-run fixtures: the tiny pipeline world opened once per module, its talents in pool order."""
from __future__ import annotations

import pytest

from matcher.pipeline import Matcher

ALL = ["T-ACCT", "T-ELEC", "T-JAVA", "T-NURSE", "T-WELDER", "T-WELDER-JR"]


class Interrupted(Exception):
    """Raised from on_batch to stop a run the way a crash would."""


@pytest.fixture(scope="module")
def matcher(pipeline_settings) -> Matcher:
    return Matcher.open(pipeline_settings)
