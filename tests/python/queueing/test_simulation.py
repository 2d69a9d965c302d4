"""Discrete-event checks with Ciw: Erlang A, M/D/1, non-preemptive priority.

Each check runs seeded independent replications and asserts the model value
lies within 4 standard errors of the replication mean (plus a small bias
allowance for the finite warm-up).
"""

from __future__ import annotations

import ciw
import numpy as np

from opsmart.queueing import erlang_a, mg1, priority_mmc
from shared_helpers import untraced

WARMUP, HORIZON = 200.0, 3200.0


def _ci_contains(values: list[float], target: float, slack: float) -> bool:
    v = np.asarray(values)
    se = v.std(ddof=1) / np.sqrt(v.size)
    return bool(abs(v.mean() - target) <= 4.0 * se + slack)


def test_erlang_a_simulation() -> None:
    lam, s, n, tau = 3.0, 1.0, 3, 2.0
    model = erlang_a(lam, s, n, tau, threshold=0.5)
    ab, sl = [], []
    for seed in range(6):
        ciw.seed(seed)
        net = ciw.create_network(
            arrival_distributions=[ciw.dists.Exponential(lam)],
            service_distributions=[ciw.dists.Exponential(1.0 / s)],
            number_of_servers=[n],
            reneging_time_distributions=[ciw.dists.Exponential(1.0 / tau)],
        )
        sim = ciw.Simulation(net)
        untraced(sim.simulate_until_max_time)(HORIZON)
        recs = [
            r for r in sim.get_all_records() if WARMUP < r.arrival_date < HORIZON - 50
        ]
        served = [r for r in recs if r.record_type == "service"]
        reneged = [r for r in recs if r.record_type == "renege"]
        total = len(served) + len(reneged)
        ab.append(len(reneged) / total)
        sl.append(sum(r.waiting_time <= 0.5 for r in served) / total)
    assert _ci_contains(ab, model.prob_abandon, 0.005)
    assert _ci_contains(sl, model.service_level, 0.005)


def test_md1_simulation() -> None:
    lam = 0.7
    model = mg1(lam, 1.0, 0.0)
    waits = []
    for seed in range(6):
        ciw.seed(100 + seed)
        net = ciw.create_network(
            arrival_distributions=[ciw.dists.Exponential(lam)],
            service_distributions=[ciw.dists.Deterministic(1.0)],
            number_of_servers=[1],
        )
        sim = ciw.Simulation(net)
        untraced(sim.simulate_until_max_time)(HORIZON * 2)
        w = [r.waiting_time for r in sim.get_all_records() if r.arrival_date > WARMUP]
        waits.append(float(np.mean(w)))
    assert _ci_contains(waits, model.mean_wait, 0.02)


def test_priority_simulation() -> None:
    rates, s, c = [0.5, 0.8], 1.0, 2
    model = priority_mmc(rates, s, c)
    per_class: list[list[float]] = [[], []]
    for seed in range(6):
        ciw.seed(200 + seed)
        net = ciw.create_network(
            arrival_distributions={
                "Class 0": [ciw.dists.Exponential(rates[0])],
                "Class 1": [ciw.dists.Exponential(rates[1])],
            },
            service_distributions={
                "Class 0": [ciw.dists.Exponential(1.0 / s)],
                "Class 1": [ciw.dists.Exponential(1.0 / s)],
            },
            number_of_servers=[c],
            priority_classes={"Class 0": 0, "Class 1": 1},
        )
        sim = ciw.Simulation(net)
        untraced(sim.simulate_until_max_time)(HORIZON)
        recs = [r for r in sim.get_all_records() if r.arrival_date > WARMUP]
        for k, name in enumerate(("Class 0", "Class 1")):
            per_class[k].append(
                float(
                    np.mean([r.waiting_time for r in recs if r.customer_class == name])
                )
            )
    for k in range(2):
        assert _ci_contains(per_class[k], float(model.mean_wait[k]), 0.01)
