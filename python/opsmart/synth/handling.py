"""How a staffed queue's contacts go: IVR, talk, hold and after-call work, transfers,
resolution, and how long a customer waits before giving up or flowing out.

The expected handling time that staffing plans with (:func:`expected_aht`) lives
beside the draws it is the mean of, so the two change together.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from opsmart.synth.config import GeneratorConfig, QueueSpec
from opsmart.synth.simulate import NEVER

__all__ = [
    "Handling",
    "draw_handling",
    "draw_ivr_seconds",
    "draw_patience",
    "draw_resolved",
    "expected_aht",
    "lognormal",
]

#: Caps on a contact's durations (seconds): the tail of a lognormal is unbounded.
_MAX_TALK, _MAX_HOLD, _MAX_ACW = 2_700, 600, 300
_HOLD_MEDIAN, _HOLD_SIGMA, _ACW_SIGMA, _IVR_SIGMA = 45.0, 0.7, 0.5, 0.5
#: A transferred contact talks longer and is resolved less often.
_TRANSFER_TALK_FACTOR, _TRANSFER_RESOLVE_FACTOR = 1.5, 0.75


def lognormal(
    rng: np.random.Generator, median: NDArray[np.float64] | float, sigma: float, n: int
) -> NDArray[np.float64]:
    """`n` lognormal draws of the given `median` (seconds) and log-scale `sigma`."""
    out: NDArray[np.float64] = np.asarray(median, dtype=np.float64) * np.exp(
        sigma * rng.standard_normal(n)
    )
    return out


def _lognormal_mean(median: float, sigma: float) -> float:
    return median * math.exp(sigma * sigma / 2.0)


def expected_aht(cfg: GeneratorConfig, q: QueueSpec) -> float:
    """Expected agent time per handled contact (talk + hold + ACW) of a queue, in
    seconds: the mean of the draws of :func:`draw_handling` (caps ignored)."""
    total = 0.0
    for name, share in q.reason_mix:
        r = cfg.reason(name)
        talk = _lognormal_mean(r.talk_median_seconds * q.talk_factor, r.talk_sigma)
        total += share * talk * (1.0 + 0.5 * r.transfer_rate)
    hold = q.hold_rate * _lognormal_mean(_HOLD_MEDIAN, _HOLD_SIGMA)
    return total + hold + _lognormal_mean(q.acw_median_seconds, _ACW_SIGMA)


def draw_ivr_seconds(
    q: QueueSpec, n: int, rng: np.random.Generator
) -> NDArray[np.int64]:
    """Seconds `n` direct contacts of `q` spend in its IVR (0 if it has none)."""
    if q.ivr_median_seconds > 0:
        ivr = np.rint(lognormal(rng, q.ivr_median_seconds, _IVR_SIGMA, n))
        return np.maximum(ivr, 5).astype(np.int64)
    return np.zeros(n, dtype=np.int64)


@dataclass(frozen=True)
class Handling:
    """What handling each contact would take if an agent answered it (seconds)."""

    transferred: NDArray[np.bool_]
    talk: NDArray[np.int64]
    hold: NDArray[np.int64]
    acw: NDArray[np.int64]

    @property
    def work_seconds(self) -> NDArray[np.int64]:
        """The agent's time on the contact: talk + hold + ACW."""
        out: NDArray[np.int64] = self.talk + self.hold + self.acw
        return out


def _by_reason(cfg: GeneratorConfig, field: str, reason: NDArray[np.int64]) -> Any:
    return np.asarray([getattr(r, field) for r in cfg.reasons])[reason]


def draw_handling(
    cfg: GeneratorConfig,
    q: QueueSpec,
    reason: NDArray[np.int64],
    rng: np.random.Generator,
) -> Handling:
    """Transfers and the talk, hold and ACW seconds of contacts of `q` with the
    given `reason` indices: lognormal by reason (talk) or queue (hold, ACW)."""
    n = reason.size
    transferred = rng.random(n) < _by_reason(cfg, "transfer_rate", reason)
    talk = (
        _by_reason(cfg, "talk_median_seconds", reason)
        * q.talk_factor
        * np.where(transferred, _TRANSFER_TALK_FACTOR, 1.0)
    )
    talk = talk * np.exp(_by_reason(cfg, "talk_sigma", reason) * rng.standard_normal(n))
    has_hold = rng.random(n) < q.hold_rate
    hold = np.clip(np.rint(lognormal(rng, _HOLD_MEDIAN, _HOLD_SIGMA, n)), 5, _MAX_HOLD)
    acw = np.rint(lognormal(rng, q.acw_median_seconds, _ACW_SIGMA, n))
    return Handling(
        transferred=transferred,
        talk=np.clip(np.rint(talk), 10, _MAX_TALK).astype(np.int64),
        hold=np.where(has_hold, hold, 0).astype(np.int64),
        acw=np.clip(acw, 0, _MAX_ACW).astype(np.int64),
    )


def draw_patience(
    q: QueueSpec, n: int, rng: np.random.Generator
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Seconds each of `n` contacts of `q` waits before abandoning (exponential) and
    before flowing out if it accepts the offer (:data:`NEVER` if not)."""
    if math.isfinite(q.mean_patience_seconds):
        patience = np.rint(rng.exponential(q.mean_patience_seconds, n))
        patience = patience.astype(np.int64)
    else:
        patience = np.full(n, NEVER, dtype=np.int64)
    if math.isfinite(q.flowout_after_seconds):
        accept = rng.random(n) < q.flowout_accept_rate
        flowout_after = np.where(accept, int(q.flowout_after_seconds), NEVER)
        flowout_after = flowout_after.astype(np.int64)
    else:
        flowout_after = np.full(n, NEVER, dtype=np.int64)
    return patience, flowout_after


def draw_resolved(
    cfg: GeneratorConfig,
    reason: NDArray[np.int64],
    transferred: NDArray[np.bool_],
    rng: np.random.Generator,
) -> NDArray[np.bool_]:
    """Whether each contact would be resolved if handled: its reason's rate, lower
    for a transferred contact."""
    resolve_rate = _by_reason(cfg, "resolve_rate", reason)
    resolve_factor = np.where(transferred, _TRANSFER_RESOLVE_FACTOR, 1.0)
    resolved: NDArray[np.bool_] = rng.random(reason.size) < (
        resolve_rate * resolve_factor
    )
    return resolved
