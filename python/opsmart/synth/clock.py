"""The simulated center's clock: elapsed seconds laid on the local calendar of a zone.

The simulation counts real (elapsed) seconds from the local midnight of its first day,
so every duration is a true duration. Its days are the center's local days: 24 hours,
or 23 and 25 on a daylight-saving change, and opening hours and intraday shapes are
read off the local wall clock. For a zone without daylight saving (Asia/Seoul) day
``d`` starts at ``d * 86400``, as a plain day count would have it.
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
from numpy.typing import ArrayLike, NDArray

from opsmart.synth.arrivals import BIN_SECONDS

__all__ = ["LocalClock", "format_offset"]

_DAY = 86_400
#: Years before the first day the offset table covers (customers signed up up to six
#: years before the period) and days after its last (late survey answers, churn).
_YEARS_BEFORE, _DAYS_AFTER = 7, 60


def format_offset(seconds: int) -> str:
    """A UTC offset in the contract's form, ``+09:00`` or ``-04:00``.

    >>> format_offset(19800), format_offset(-18000)
    ('+05:30', '-05:00')
    """
    sign = "-" if seconds < 0 else "+"
    hours, rest = divmod(abs(int(seconds)), 3600)
    return f"{sign}{hours:02d}:{rest // 60:02d}"


class LocalClock:
    """Elapsed seconds from local midnight of `start_date` in `zone`, and back.

    Parameters
    ----------
    zone
        An IANA time zone name (``Asia/Seoul``, ``America/New_York``).
    start_date
        The first simulated local day (second 0 is its local midnight).
    days
        Simulated days; the clock answers for a margin beyond them.

    Raises
    ------
    ValueError
        If `zone` is not an IANA zone name.
    """

    def __init__(self, zone: str, start_date: dt.date, days: int) -> None:
        try:
            self.tz = ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"`timezone` must be an IANA zone name such as Asia/Seoul, got {zone!r}"
            ) from None
        self.zone = zone
        self.start_date = start_date
        self.days = days
        self.epoch = self._utc_of_midnight(start_date)

    def _utc_of_midnight(self, day: dt.date) -> dt.datetime:
        # A midnight the zone skips (a spring-forward at 00:00) reads, with fold=0, as
        # the instant of the change: the first instant of that local day.
        local = dt.datetime.combine(day, dt.time(), tzinfo=self.tz)
        return local.astimezone(dt.UTC)

    @cached_property
    def _midnights(self) -> NDArray[np.int64]:
        count = self.days + _DAYS_AFTER
        return np.asarray(
            [
                (
                    self._utc_of_midnight(self.start_date + dt.timedelta(days=d))
                    - self.epoch
                ).total_seconds()
                for d in range(count + 1)
            ],
            dtype=np.int64,
        )

    def midnight(self, day: int) -> int:
        """Elapsed seconds at the local midnight that starts `day` (0 = start_date)."""
        return int(self._midnights[day])

    def day_seconds(self, day: int) -> int:
        """Length of local `day` in seconds: 86400, or 82800 / 90000 on a DST change."""
        return int(self._midnights[day + 1] - self._midnights[day])

    def day_of(self, seconds: ArrayLike) -> NDArray[np.int64]:
        """The local day (index from start_date) each elapsed second falls on."""
        found = np.searchsorted(self._midnights, np.asarray(seconds), side="right") - 1
        out: NDArray[np.int64] = found.astype(np.int64)
        return out

    @cached_property
    def _offset_table(self) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        """(instants where the UTC offset changes, offset from each on), elapsed s.

        The offset is sampled daily over the covered years and each change is found
        to the second by bisection, so the table is exact.
        """
        first = self.epoch - dt.timedelta(days=365 * _YEARS_BEFORE)
        last = self.epoch + dt.timedelta(days=self.days + _DAYS_AFTER)

        def offset(moment: dt.datetime) -> int:
            delta = moment.astimezone(self.tz).utcoffset()
            return int(delta.total_seconds()) if delta is not None else 0

        changes = [first]
        offsets = [offset(first)]
        moment = first
        while moment < last:
            later = moment + dt.timedelta(days=1)
            if offset(later) != offsets[-1]:
                low, high = moment, later  # offset(low) is the old one
                while (high - low).total_seconds() > 1:
                    middle = low + (high - low) / 2
                    middle = middle.replace(microsecond=0)
                    if offset(middle) == offsets[-1]:
                        low = middle
                    else:
                        high = middle
                changes.append(high)
                offsets.append(offset(high))
            moment = later
        at = np.asarray(
            [(c - self.epoch).total_seconds() for c in changes], dtype=np.int64
        )
        return at, np.asarray(offsets, dtype=np.int64)

    def utc_offsets(self, seconds: ArrayLike) -> NDArray[np.int64]:
        """The zone's UTC offset (seconds) at each elapsed second."""
        at, offsets = self._offset_table
        index = np.searchsorted(at, np.asarray(seconds, dtype=np.int64), side="right")
        out: NDArray[np.int64] = offsets[np.maximum(index - 1, 0)]
        return out

    def wall_seconds(self, day: int, seconds: ArrayLike) -> NDArray[np.int64]:
        """Local wall-clock seconds since midnight of `day` of elapsed `seconds`.

        Equal to ``seconds - midnight(day)`` on a day without a DST change; an hour
        more (or less) after a spring-forward (fall-back) change.
        """
        t = np.asarray(seconds, dtype=np.int64)
        start = self.midnight(day)
        out: NDArray[np.int64] = (t + self.utc_offsets(t)) - (
            start + int(self.utc_offsets(start))
        )
        return out

    def day_bins(self, day: int) -> NDArray[np.int64]:
        """Wall-clock 15-minute bin (0-95) of each real 15-minute bin of local `day`.

        92 bins on a spring-forward day (the skipped hour's bins are absent), 100 on a
        fall-back day (the repeated hour's bins twice), 96 otherwise.
        """
        starts = self.midnight(day) + BIN_SECONDS * np.arange(
            self.day_seconds(day) // BIN_SECONDS, dtype=np.int64
        )
        out: NDArray[np.int64] = self.wall_seconds(day, starts) // BIN_SECONDS
        return out

    def bin_start(self, day: int, wall_bin: int) -> int:
        """Elapsed seconds at which the wall clock of `day` first reaches `wall_bin`.

        A bin the zone skips (a spring-forward hour) starts when the clock jumps past
        it; a repeated bin (a fall-back hour) starts at its first occurrence.
        """
        bins = self.day_bins(day)
        reached = np.flatnonzero(bins >= wall_bin)
        real_bin = int(reached[0]) if reached.size else int(bins.size)
        return self.midnight(day) + real_bin * BIN_SECONDS

    def iso(self, seconds: ArrayLike) -> list[str]:
        """ISO-8601 local times with their offsets: ``2026-03-08T03:00:00-04:00``."""
        t = np.asarray(seconds, dtype=np.int64)
        offsets = self.utc_offsets(t)
        epoch = np.datetime64(self.epoch.replace(tzinfo=None), "s")
        local = epoch + (t + offsets).astype("timedelta64[s]")
        text = np.datetime_as_string(local, unit="s")
        unique, which = np.unique(offsets, return_inverse=True)
        suffix = np.asarray([format_offset(int(o)) for o in unique], dtype=str)[which]
        out: list[str] = np.char.add(text, suffix).tolist()
        return out

    def utc_epoch_seconds(self, seconds: ArrayLike) -> NDArray[np.int64]:
        """Seconds since 1970-01-01T00:00Z of elapsed `seconds`."""
        base = int(self.epoch.timestamp())
        out: NDArray[np.int64] = np.asarray(seconds, dtype=np.int64) + base
        return out
