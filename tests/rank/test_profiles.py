"""Talent profiles read willing_to_return with the one yes/no vocabulary of matcher.normalize.cells."""
from __future__ import annotations

import numpy as np
import pandas as pd

from matcher.rank.profiles import talent_profiles
from tests.rank.conftest import talent


def test_willing_to_return_reads_有_and_tick_as_yes_and_unknown_words_as_missing():
    answers = ["有", "√", "是", True, "×", "不愿意", False, "也许", None]
    rows = [talent(f"T{i}", willing_to_return=answer) for i, answer in enumerate(answers)]
    willing = talent_profiles(pd.DataFrame(rows), reference_year=2026).columns["willing_to_return"]
    np.testing.assert_array_equal(willing, [1.0, 1.0, 1.0, 1.0, 0.0, 0.0, 0.0, np.nan, np.nan])
