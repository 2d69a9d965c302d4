"""What each known customer experienced, and the churn it drives.

Relationship NPS and churn respond to the service a customer got: the day's offered
contacts (:func:`offered_service`), summed per customer over a churn window
(:class:`ServiceTotals`); at the window's end customers churn on those sums
(:func:`churn_at_window_end`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from opsmart.synth.center import Center
from opsmart.synth.contacts import CONTAINED, Contacts
from opsmart.synth.customers import Population, churn_probability
from opsmart.synth.simulate import NEVER
from opsmart.synth.streams import CHURN, stream

__all__ = [
    "OfferedService",
    "ServiceTotals",
    "churn_at_window_end",
    "offered_service",
]


@dataclass(frozen=True)
class OfferedService:
    """One day's offered contacts of known customers (contained sessions and
    anonymous contacts left out): the service that NPS and churn respond to."""

    customer: NDArray[np.int64]
    #: waiting minutes of voice and chat contacts; 0 for the other channels
    realtime_wait_minutes: NDArray[np.float64]
    #: 1.0 for a voice or chat contact, else 0.0
    is_realtime: NDArray[np.float64]
    #: 1.0 for a contact not resolved (is_resolved false or null), else 0.0
    is_unresolved: NDArray[np.float64]


def offered_service(
    contacts: Contacts, is_realtime_queue: NDArray[np.bool_]
) -> OfferedService:
    """The day's `contacts` offered to a queue by a known customer; `is_realtime_queue`
    says, per queue index, whether its waits count (voice and chat)."""
    offered = (contacts.outcome != CONTAINED) & (contacts.customer >= 0)
    is_realtime = is_realtime_queue[contacts.queue[offered]].astype(np.float64)
    wait_minutes = contacts.wait[offered] / 60.0
    return OfferedService(
        customer=contacts.customer[offered],
        realtime_wait_minutes=wait_minutes * is_realtime,
        is_realtime=is_realtime,
        is_unresolved=(contacts.resolved[offered] != 1).astype(np.float64),
    )


class ServiceTotals:
    """Per customer since the current churn window began: realtime waiting minutes,
    realtime contacts and unresolved contacts."""

    def __init__(self, customers: int) -> None:
        self.customers = customers
        self.realtime_wait_minutes = np.zeros(customers)
        self.realtime_contacts = np.zeros(customers)
        self.unresolved_contacts = np.zeros(customers)

    def add(self, service: OfferedService) -> None:
        np.add.at(
            self.realtime_wait_minutes, service.customer, service.realtime_wait_minutes
        )
        np.add.at(self.realtime_contacts, service.customer, service.is_realtime)
        np.add.at(self.unresolved_contacts, service.customer, service.is_unresolved)

    def mean_realtime_wait_minutes(self) -> NDArray[np.float64]:
        """Per customer; 0 for a customer without realtime contacts."""
        out: NDArray[np.float64] = np.divide(
            self.realtime_wait_minutes,
            self.realtime_contacts,
            out=np.zeros(self.customers),
            where=self.realtime_contacts > 0,
        )
        return out

    def reset(self) -> None:
        self.realtime_wait_minutes[:] = 0.0
        self.realtime_contacts[:] = 0.0
        self.unresolved_contacts[:] = 0.0


def churn_at_window_end(
    d: int,
    center: Center,
    population: Population,
    contacts: Contacts,
    window_service: ServiceTotals,
    seed: int,
) -> dict[str, Any]:
    """Churn customers at the end of a churn window (day `d` is its last) on the
    service they had in it; returns the window as truth.json states it."""
    window = center.cfg.churn.window_days
    rng = stream(seed, CHURN, d)
    day_start = center.clock.midnight(d)
    end = center.clock.midnight(d + 1)
    alive = np.flatnonzero((population.signed_up < end) & (population.churned == NEVER))
    mean_wait = window_service.mean_realtime_wait_minutes()[alive]
    probability = churn_probability(
        mean_wait,
        window_service.unresolved_contacts[alive],
        population.segment[alive],
        center.cfg.churn,
    )
    gone = alive[rng.random(alive.size) < probability]
    # after 20:00 on the window's last day, and after their last contact
    last_end = np.zeros(population.size, dtype=np.int64)
    ended = contacts.ended
    known = (contacts.customer >= 0) & (ended < end - 60)
    np.maximum.at(last_end, contacts.customer[known], ended[known])
    population.churned[gone] = np.maximum(
        day_start
        + rng.integers(20 * 3600, center.clock.day_seconds(d), size=gone.size),
        last_end[gone] + 60,
    )
    return {
        "first_day": d + 1 - window,
        "last_day": d,
        "at_risk": int(alive.size),
        "churned": int(gone.size),
    }
