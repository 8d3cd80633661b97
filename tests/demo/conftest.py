"""Shared demo data for the demo tests: generated once per session, copied where a test mutates."""
from __future__ import annotations

import pandas as pd
import pytest

from matcher.demo import generate_events, generate_jobs, talents_frame


@pytest.fixture(scope="session")
def jobs() -> pd.DataFrame:
    return generate_jobs(243, seed=7)


@pytest.fixture(scope="session")
def talents(jobs: pd.DataFrame) -> pd.DataFrame:
    return talents_frame(6000, seed=7, jobs=jobs)


@pytest.fixture(scope="session")
def events(talents: pd.DataFrame, jobs: pd.DataFrame) -> pd.DataFrame:
    return generate_events(talents, jobs, seed=7)
