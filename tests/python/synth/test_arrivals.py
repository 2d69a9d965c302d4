"""Arrivals: Poisson counts at the configured rate, intraday and weekly shapes."""

from __future__ import annotations

import numpy as np
import pandas as pd

from opsmart.synth import GenerateSummary, GeneratorConfig
from opsmart.synth.arrivals import (
    BINS_PER_DAY,
    intraday_shape,
    sample_arrivals,
    weekday_factor,
)


def test_sample_arrivals_is_poisson_at_the_rate() -> None:
    rng = np.random.default_rng(5)
    shape = intraday_shape("voice")
    days = 400
    counts = np.array([sample_arrivals(120.0 * shape, rng).size for _ in range(days)])
    assert abs(counts.mean() - 120.0) < 4 * np.sqrt(120.0 / days)
    assert 0.8 < counts.var(ddof=1) / counts.mean() < 1.2  # Poisson dispersion
    times = sample_arrivals(1e5 * shape, rng)
    assert (np.diff(times) >= 0).all()
    assert times.min() >= 8 * 3600 and times.max() < 20 * 3600
    per_bin = np.bincount(times // 900, minlength=BINS_PER_DAY)
    expected = 1e5 * shape
    busy = expected > 50
    assert np.all(np.abs(per_bin[busy] - expected[busy]) < 5 * np.sqrt(expected[busy]))


def test_intraday_shapes() -> None:
    voice = intraday_shape("voice")
    assert voice.sum() == np.float64(1.0) or abs(voice.sum() - 1) < 1e-12
    hour = lambda h: voice[int(h * 4)]  # noqa: E731
    assert hour(10.5) > hour(12.75) < hour(14.5)  # morning and after-lunch peaks
    assert voice[: 8 * 4].sum() == 0 and voice[20 * 4 :].sum() == 0
    for channel in ("email", "self_service"):
        shape = intraday_shape(channel)
        assert (shape > 0).all()  # around the clock
        assert shape[3 * 4] < shape[11 * 4] / 4  # low at night


def test_weekday_factors_average_one() -> None:
    factors = GeneratorConfig().weekday_factors
    values = [weekday_factor(w, factors) for w in range(7)]
    assert abs(np.mean(values) - 1) < 1e-12
    assert values[0] == max(values) and values[6] == min(values)


def test_generated_volume_and_weekly_shape(
    medium: GenerateSummary, medium_contacts: pd.DataFrame
) -> None:
    day = pd.to_datetime(medium_contacts["arrived_at"].str[:10])
    per_day = day.value_counts().sort_index()
    assert len(per_day) == medium.days
    # ~1,900 contacts a day (incl. self-service) per 50 agents, weekly mean
    full_weeks = per_day.iloc[: 7 * (len(per_day) // 7)]
    expected = 1900 * medium.agents / 50
    assert abs(full_weeks.mean() / expected - 1) < 0.1
    by_weekday = per_day.groupby(per_day.index.day_of_week).mean()
    assert by_weekday[0] > by_weekday[6] * 1.5  # Monday high, Sunday low
    assert by_weekday[0] == by_weekday.max()
    # voice and chat only in opening hours; e-mail and self-service around the clock
    hour = medium_contacts["arrived_at"].str[11:13].astype(int)
    realtime = medium_contacts["channel"].isin(["voice", "chat"])
    assert hour[realtime].between(8, 19).all()
    assert (hour[~realtime] < 6).any()
