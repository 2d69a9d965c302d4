"""The reports' change tests and intervals keep their promises, run as the SQL their
macros compile to (`dbt compile --inline` on this project, then DuckDB): no Python
copy of a formula is under test.

- **About 5 % false "significant" flags when nothing changed.** For each kind of
  KPI, 2,000 pairs of periods are drawn from one distribution (seeded); the share
  flagged by the test rpt_okr_scorecard uses must lie in the binomial 99 % band
  around 0.05 (about 0.038-0.063). Periods have 30 to 500 values, the range the
  scorecard tests (var okr_min_sample_size is 30).
- **At least 93 % coverage of the 95 % intervals at n = 1, 5 and 30**, for a rate
  (continuity-corrected Wilson) and for NPS (adjusted Wald). Coverage is exact: every
  possible sample of size n is enumerated with its probability, so there is no
  simulation noise. Rates: p = 0.02, 0.1, 0.3, 0.5, 0.8, 0.95, the whole range
  (this interval holds >= 94.5 % for every p at these n). NPS: six typical answer mixes
  from NPS +50 to -60 (promoter and detractor shares below). At n = 1 no interval
  can be informative and cover every mix: after one detractor it must still reach
  +50 to cover (p, d) = (0.6, 0.1), since a detractor has probability 0.1 there. The
  adjusted Wald interval does reach that far; on a 0.05 grid of the whole trinomial
  its worst coverage is 92.5 % at n = 1 (p = 0.825, d = 0.075) and 92.3 % at n = 5,
  so the grid is typical mixes, not a search for good points. The plain interval
  NPS -/+ z SE is a point at n = 1 and covers 80-89 % of these mixes at n = 5 (the
  last test keeps that on record).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import duckdb
import numpy as np
import pytest
from scipy import stats

from shared_helpers import SeedParse, compile_queries

PAIRS = 2_000
FALSE_FLAG_RATE = 0.05
SEED = 20_260_317
SAMPLE_SIZES = (30, 500)

# One inline model, several queries: each starts with a `-- query: <name>` line.
QUERIES = """
-- query: proportion_flags
select
    pair_id,
    abs({{ two_proportion_z(
        'successes_1 / count_1', 'count_1', 'successes_2 / count_2', 'count_2'
    ) }}) > {{ var('report_confidence_z') }} as is_flagged
from pairs

-- query: nps_flags
select
    pair_id,
    abs({{ nps_change_z(
        'promoters_1', 'detractors_1', 'count_1',
        'promoters_2', 'detractors_2', 'count_2'
    ) }}) > {{ var('report_confidence_z') }} as is_flagged
from pairs

-- query: mean_flags
with periods as (
    select
        pair_id,
        period,
        count(*) as n,
        avg(x) as mean,
        {{ sample_variance('sum(x)', 'sum(x * x)', 'count(*)') }} as variance
    from values_drawn
    group by 1, 2
)
select
    earlier.pair_id,
    abs({{ welch_t(
        'earlier.mean', 'earlier.variance', 'earlier.n',
        'later.mean', 'later.variance', 'later.n'
    ) }}) > {{ student_t_quantile(welch_degrees_of_freedom(
        'earlier.variance', 'earlier.n', 'later.variance', 'later.n'
    )) }} as is_flagged
from periods as earlier
inner join periods as later
    on earlier.pair_id = later.pair_id and earlier.period = 1 and later.period = 2

-- query: rate_intervals
select
    successes,
    n,
    {{ wilson_interval_bound('successes / n', 'n', 'lower') }} as lower_bound,
    {{ wilson_interval_bound('successes / n', 'n', 'upper') }} as upper_bound
from samples

-- query: nps_intervals
select
    promoters,
    detractors,
    n,
    {{ nps_interval_bound('promoters', 'detractors', 'n', 'lower') }}
        as lower_bound,
    {{ nps_interval_bound('promoters', 'detractors', 'n', 'upper') }}
        as upper_bound,
    {{ nps('promoters', 'detractors', 'n') }}
        - {{ var('report_confidence_z') }}
        * {{ nps_standard_error('promoters', 'detractors', 'n') }}
        as plain_lower_bound,
    {{ nps('promoters', 'detractors', 'n') }}
        + {{ var('report_confidence_z') }}
        * {{ nps_standard_error('promoters', 'detractors', 'n') }}
        as plain_upper_bound
from samples
"""

RATES = (0.02, 0.1, 0.3, 0.5, 0.8, 0.95)
#: (promoter share, detractor share): NPS +50, +30, +10, 0, -30, -60.
NPS_MIXES = ((0.6, 0.1), (0.5, 0.2), (0.4, 0.3), (0.3, 0.3), (0.2, 0.5), (0.1, 0.7))
INTERVAL_SIZES = (1, 5, 30)
MIN_COVERAGE = 0.93


@pytest.fixture(scope="module")
def sql(
    tmp_path_factory: pytest.TempPathFactory, seed_parse: SeedParse
) -> dict[str, str]:
    """QUERIES compiled by dbt with this project's macros and default vars."""
    # DuckDB's dispatch of the macros: the queries run on DuckDB.
    return compile_queries(
        QUERIES, seed_parse(tmp_path_factory.mktemp("uncertainty_compile"))
    )


@pytest.fixture
def connection() -> Iterator[duckdb.DuckDBPyConnection]:
    with duckdb.connect() as connection:
        yield connection


def _flag_rate(connection: duckdb.DuckDBPyConnection, query: str) -> float:
    flags = [
        flagged
        for (flagged,) in connection.execute(
            f"select is_flagged from ({query})"
        ).fetchall()
    ]
    assert len(flags) == PAIRS and None not in flags
    return sum(flags) / PAIRS


def _assert_near_five_percent(rate: float) -> None:
    low, high = stats.binom.interval(0.99, PAIRS, FALSE_FLAG_RATE)
    assert low / PAIRS <= rate <= high / PAIRS, rate


def _sizes(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    return (
        rng.integers(SAMPLE_SIZES[0], SAMPLE_SIZES[1], PAIRS, endpoint=True),
        rng.integers(SAMPLE_SIZES[0], SAMPLE_SIZES[1], PAIRS, endpoint=True),
    )


# ------------------------------------------------------------ false flag rates


@pytest.mark.parametrize("share", [0.8, 0.05])
def test_two_proportion_test_flags_five_percent_of_unchanged_rates(
    sql: dict[str, str], connection: duckdb.DuckDBPyConnection, share: float
) -> None:
    """Service level, CSAT, FCR near 0.8; abandonment or churn near 0.05."""
    rng = np.random.default_rng(SEED)
    count_1, count_2 = _sizes(rng)
    pairs = {
        "pair_id": np.arange(PAIRS),
        "count_1": count_1,
        "successes_1": rng.binomial(count_1, share),
        "count_2": count_2,
        "successes_2": rng.binomial(count_2, share),
    }
    connection.register("pairs", pairs)
    _assert_near_five_percent(_flag_rate(connection, sql["proportion_flags"]))


def test_nps_test_flags_five_percent_of_unchanged_nps(
    sql: dict[str, str], connection: duckdb.DuckDBPyConnection
) -> None:
    """NPS +30: half promoters, a fifth detractors, in both periods."""
    rng = np.random.default_rng(SEED)
    count_1, count_2 = _sizes(rng)
    shares = [0.5, 0.2, 0.3]
    answers_1 = np.array([rng.multinomial(n, shares) for n in count_1])
    answers_2 = np.array([rng.multinomial(n, shares) for n in count_2])
    pairs = {
        "pair_id": np.arange(PAIRS),
        "count_1": count_1,
        "promoters_1": answers_1[:, 0],
        "detractors_1": answers_1[:, 1],
        "count_2": count_2,
        "promoters_2": answers_2[:, 0],
        "detractors_2": answers_2[:, 1],
    }
    connection.register("pairs", pairs)
    _assert_near_five_percent(_flag_rate(connection, sql["nps_flags"]))


def _handle_times(rng: np.random.Generator, size: int) -> np.ndarray:
    """Right-skewed like handle times: log-normal, mean 300 s, CV 0.64."""
    sigma = 0.6
    return rng.lognormal(np.log(300) - sigma**2 / 2, sigma, size)


def _waits(rng: np.random.Generator, size: int) -> np.ndarray:
    """Like answered waits: 60 % answered at once (0 s), the rest exponential."""
    return np.where(rng.random(size) < 0.6, 0.0, rng.exponential(40.0, size))


@pytest.mark.parametrize("draw", [_handle_times, _waits], ids=["aht", "asa"])
def test_welch_test_flags_five_percent_of_unchanged_means(
    sql: dict[str, str],
    connection: duckdb.DuckDBPyConnection,
    draw: Callable[[np.random.Generator, int], np.ndarray],
) -> None:
    rng = np.random.default_rng(SEED)
    count_1, count_2 = _sizes(rng)
    sizes = np.concatenate([count_1, count_2])
    values = {
        "pair_id": np.repeat(np.tile(np.arange(PAIRS), 2), sizes),
        "period": np.repeat(np.repeat([1, 2], PAIRS), sizes),
        "x": draw(rng, int(sizes.sum())),
    }
    connection.register("values_drawn", values)
    _assert_near_five_percent(_flag_rate(connection, sql["mean_flags"]))


# -------------------------------------------------------------------- coverage


Coverage = dict[tuple[float, ...], float]


def _rate_coverage(connection: duckdb.DuckDBPyConnection, sql: str) -> Coverage:
    """(n, rate) -> probability that the interval of a sample covers the rate."""
    coverage = {}
    for n in INTERVAL_SIZES:
        connection.register(
            "samples", {"successes": np.arange(n + 1), "n": np.full(n + 1, n)}
        )
        bounds = connection.execute(sql).fetchall()
        for rate in RATES:
            coverage[n, rate] = sum(
                stats.binom.pmf(successes, n, rate)
                for successes, _, lower, upper in bounds
                if lower <= rate <= upper
            )
    return coverage


def test_rate_interval_covers_at_small_n(
    sql: dict[str, str], connection: duckdb.DuckDBPyConnection
) -> None:
    coverage = _rate_coverage(connection, sql["rate_intervals"])
    assert min(coverage.values()) >= MIN_COVERAGE, coverage
    # It stays an interval: at n = 1 a success does not pin the rate to 1.
    assert coverage[1, 0.5] == pytest.approx(1.0)


def _nps_coverage(
    connection: duckdb.DuckDBPyConnection, sql: str, *, plain: bool = False
) -> Coverage:
    """(n, p, d) -> probability that the interval of a sample covers the NPS."""
    prefix = "plain_" if plain else ""
    coverage = {}
    for n in INTERVAL_SIZES:
        outcomes = [(p, d) for p in range(n + 1) for d in range(n + 1 - p)]
        connection.register(
            "samples",
            {
                "promoters": np.array([p for p, _ in outcomes]),
                "detractors": np.array([d for _, d in outcomes]),
                "n": np.full(len(outcomes), n),
            },
        )
        bounds = connection.execute(
            f"select promoters, detractors, {prefix}lower_bound, {prefix}upper_bound "
            f"from ({sql})"
        ).fetchall()
        for promoter_share, detractor_share in NPS_MIXES:
            truth = 100 * (promoter_share - detractor_share)
            shares = [promoter_share, detractor_share]
            shares.append(1 - sum(shares))
            coverage[n, promoter_share, detractor_share] = sum(
                stats.multinomial.pmf([p, d, n - p - d], n, shares)
                for p, d, lower, upper in bounds
                if lower - 1e-9 <= truth <= upper + 1e-9
            )
    return coverage


def test_nps_interval_covers_at_small_n(
    sql: dict[str, str], connection: duckdb.DuckDBPyConnection
) -> None:
    coverage = _nps_coverage(connection, sql["nps_intervals"])
    assert min(coverage.values()) >= MIN_COVERAGE, coverage


def test_plain_nps_interval_would_not(
    sql: dict[str, str], connection: duckdb.DuckDBPyConnection
) -> None:
    """The interval the reports used before, NPS -/+ z x SE, is a point at n = 1:
    it covers an NPS of +30 only if one answer could score +30, never."""
    coverage = _nps_coverage(connection, sql["nps_intervals"], plain=True)
    assert coverage[1, 0.5, 0.2] == 0
    assert min(coverage.values()) < MIN_COVERAGE
