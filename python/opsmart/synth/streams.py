"""The seeded random streams of a generator run.

Each step of the simulation draws from its own stream, keyed by the run's seed, the
step and the day, so a change to the draws of one step leaves every other step's
numbers, and so the other landing files, as they were.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "CHURN",
    "CONTACTS",
    "POPULATION",
    "ROSTERS",
    "SURVEYS",
    "stream",
]

#: The steps' stream keys (the second entry of the seed sequence).
POPULATION, ROSTERS, CONTACTS, SURVEYS, CHURN = range(5)


def stream(seed: int, step: int, *key: int) -> np.random.Generator:
    """The random stream of one `step` of a run (and day, for the daily steps).

    Parameters
    ----------
    seed
        The run's seed.
    step
        One of :data:`POPULATION`, :data:`ROSTERS`, :data:`CONTACTS`,
        :data:`SURVEYS`, :data:`CHURN`.
    *key
        The day index for the steps drawn per day.

    Returns
    -------
    numpy.random.Generator
        A generator seeded with the sequence ``[seed, step, *key]``.
    """
    return np.random.default_rng([seed, step, *key])
