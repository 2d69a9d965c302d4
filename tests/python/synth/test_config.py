"""The configuration matches the seeds; staffing helpers behave."""

from __future__ import annotations

import numpy as np

from opsmart.synth import GeneratorConfig
from opsmart.synth.config import read_seed_queues
from opsmart.synth.staffing import (
    allocate_agents,
    cover_with_shifts,
    shift_windows,
    sqrt_staffing,
)


def test_queues_match_seed() -> None:
    seed = read_seed_queues()
    config = GeneratorConfig()
    assert {q.queue_id for q in config.queues} == set(seed)
    for q in config.queues:
        assert seed[q.queue_id]["channel"] == q.channel
        assert seed[q.queue_id]["team_id"] == q.team_id
        assert abs(sum(share for _, share in q.reason_mix) - 1) < 1e-9
        for reason, _ in q.reason_mix:
            config.reason(reason)
    assert {t.team_id for t in config.teams} == {r["team_id"] for r in seed.values()}


def test_sqrt_staffing() -> None:
    load = np.array([0.0, 0.3, 4.0, 100.0])
    assert sqrt_staffing(load, 1.0).tolist() == [0, 1, 6, 110]


def test_cover_with_shifts_covers_need() -> None:
    need = np.zeros(96, dtype=np.int64)
    need[32:80] = np.r_[np.arange(1, 25), np.arange(24, 0, -1)] // 3
    shifts = cover_with_shifts(need, shift_bins=32, first_bin=32, last_bin=80)
    cover = np.zeros(96, dtype=np.int64)
    for start, length in shifts:
        assert start >= 32 and start + length <= 80
        cover[start : start + length] += 1
    assert (cover >= need).all()


def test_shift_windows_and_allocation() -> None:
    windows = shift_windows(0, 8 * 3600, [0, 0, 0])
    work = sum(b - a for a, b in windows)
    assert work == 7 * 3600 and windows[0][0] == 0 and windows[-1][1] == 8 * 3600
    assert allocate_agents([1.0, 1.0, 2.0], 10) == [3, 3, 4]
    assert sum(allocate_agents([5.0, 1.0, 1.0, 1.0], 50)) == 50
