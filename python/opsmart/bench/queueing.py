"""Benchmark: Erlang C service level and staffing, opsmart versus pyworkforce.

``python -m opsmart.bench queueing [--rows N] [--pwf-rows M] [--json PATH]``
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from typing import Any

import numpy as np

from opsmart.queueing import erlang_a, required_agents, service_level

__all__ = ["main", "run"]

THRESHOLD = 20.0
TARGET = 0.8
INTERVAL = 1800.0
PATIENCE = 180.0


def _rows(n: int, seed: int = 20240101) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    traffic = rng.uniform(0.5, 200.0, n)
    aht = rng.uniform(120.0, 600.0, n)
    lam = traffic / aht
    return {"lam": lam, "aht": aht, "traffic": traffic}


def _timed(fn: Any, repeat: int = 1) -> tuple[Any, float]:
    """Return the result and the best wall time of ``repeat`` runs."""
    best = math.inf
    out = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return out, best


def run(
    rows: int = 100_000, pwf_rows: int = 2_000, seed: int = 20240101
) -> dict[str, Any]:
    """Run the benchmark and return the figures as a dict."""
    d = _rows(rows, seed)
    lam, aht = d["lam"], d["aht"]
    req, t_req = _timed(
        lambda: required_agents(
            lam, aht, threshold=THRESHOLD, target_service_level=TARGET
        ),
        3,
    )
    agents = np.asarray(req.agents)
    sl, t_sl = _timed(lambda: service_level(lam, aht, agents, THRESHOLD), 3)
    _, t_a = _timed(
        lambda: erlang_a(lam, aht, agents, PATIENCE, threshold=THRESHOLD), 3
    )
    res: dict[str, Any] = {
        "rows": rows,
        "opsmart_service_level_rows_per_s": rows / t_sl,
        "opsmart_required_agents_rows_per_s": rows / t_req,
        "opsmart_erlang_a_rows_per_s": rows / t_a,
        "pyworkforce": None,
    }
    try:
        from pyworkforce.queuing import ErlangC
    except ImportError:
        res["pyworkforce_message"] = (
            "pyworkforce is not installed; install it in a separate environment with "
            "`pip install pyworkforce==0.5.1` to compare"
        )
        return res
    res["pyworkforce"] = _compare_with_pyworkforce(
        ErlangC,
        lam,
        aht,
        agents,
        np.asarray(sl),
        rows=rows,
        pwf_rows=pwf_rows,
        ours=res,
    )
    return res


def _compare_with_pyworkforce(
    erlang_c: Any,
    lam: np.ndarray,
    aht: np.ndarray,
    agents: np.ndarray,
    service_levels: np.ndarray,
    *,
    rows: int,
    pwf_rows: int,
    ours: dict[str, Any],
) -> dict[str, Any]:
    """Time pyworkforce's Erlang C on the first rows; its rates and differences.

    `agents` and `service_levels` are opsmart's answers for every row. Building the
    models is timed with each measure, as a caller of pyworkforce pays for it; the
    speed-ups divide `ours` (opsmart's rows per second) by pyworkforce's.
    """
    m = min(pwf_rows, rows)
    sub = np.arange(m)
    mins = INTERVAL / 60.0

    def models() -> list[Any]:
        return [
            erlang_c(
                transactions=float(lam[i] * INTERVAL),
                aht=float(aht[i] / 60.0),
                asa=THRESHOLD / 60.0,
                interval=mins,
                shrinkage=0.0,
            )
            for i in sub
        ]

    def pwf_sl() -> np.ndarray:
        return np.array(
            [
                e.service_level(int(agents[i]))
                for e, i in zip(models(), sub, strict=True)
            ]
        )

    def pwf_req() -> np.ndarray:
        return np.array(
            [
                e.required_positions(service_level=TARGET)["raw_positions"]
                for e in models()
            ]
        )

    p_sl, tp_sl = _timed(pwf_sl)
    p_req, tp_req = _timed(pwf_req)
    pw: dict[str, Any] = {
        "rows_timed": m,
        "extrapolated": m < rows,
        "service_level_rows_per_s": m / tp_sl,
        "required_agents_rows_per_s": m / tp_req,
        "max_abs_diff_service_level": float(np.max(np.abs(p_sl - service_levels[sub]))),
        "max_abs_diff_required_agents": float(np.max(np.abs(p_req - agents[sub]))),
        "rows_with_different_agents": int(np.sum(p_req != agents[sub])),
    }
    pw["speedup_service_level"] = (
        ours["opsmart_service_level_rows_per_s"] / pw["service_level_rows_per_s"]
    )
    pw["speedup_required_agents"] = (
        ours["opsmart_required_agents_rows_per_s"] / pw["required_agents_rows_per_s"]
    )
    return pw


def _table(res: dict[str, Any]) -> str:
    lines = [
        f"opsmart queueing benchmark, {res['rows']:,} rows "
        f"(traffic 0.5-200 Erl, AHT 120-600 s, SL {TARGET:.0%} in {THRESHOLD:g} s)"
    ]
    lines.append(
        f"{'metric':<34}{'opsmart rows/s':>16}{'pyworkforce rows/s':>20}{'ratio':>10}"
    )
    pw = res["pyworkforce"]
    for key, label in (
        ("service_level", "Erlang C service level"),
        ("required_agents", "Erlang C required agents"),
    ):
        ops = res[f"opsmart_{key}_rows_per_s"]
        if pw:
            p = pw[f"{key}_rows_per_s"]
            lines.append(f"{label:<34}{ops:>16,.0f}{p:>20,.0f}{ops / p:>9,.0f}x")
        else:
            lines.append(f"{label:<34}{ops:>16,.0f}{'-':>20}{'-':>10}")
    lines.append(
        f"{'Erlang A (all measures)':<34}{res['opsmart_erlang_a_rows_per_s']:>16,.0f}"
    )
    if pw:
        lines.append(
            f"pyworkforce timed on {pw['rows_timed']:,} rows"
            + (" (rates extrapolate to the full set)" if pw["extrapolated"] else "")
            + f"; max |SL diff| = {pw['max_abs_diff_service_level']:.2e}, "
            f"max |agents diff| = {pw['max_abs_diff_required_agents']:g} "
            f"({pw['rows_with_different_agents']} rows)"
        )
    else:
        lines.append(res["pyworkforce_message"])
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(prog="python -m opsmart.bench queueing")
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument(
        "--pwf-rows",
        type=int,
        default=2_000,
        help="rows timed with pyworkforce (rates are extrapolated)",
    )
    ap.add_argument("--json", dest="json_path", default=None)
    ns = ap.parse_args(argv)
    res = run(ns.rows, ns.pwf_rows)
    sys.stdout.write(_table(res) + "\n")
    if ns.json_path:
        with open(ns.json_path, "w", encoding="utf-8") as fh:
            json.dump(res, fh, indent=2, default=lambda o: None if math.isnan(o) else o)
    return 0
