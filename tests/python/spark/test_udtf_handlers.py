"""The table-function handlers of opsmart.spark.udtfs, driven as Spark drives them
(eval per Arrow batch, then terminate) but without Spark."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pyarrow as pa
import pytest

from opsmart.spark.udtfs import UDTFS, Output, row_wise, whole_table

OUTPUT = Output.of(("key", "doubled", "flag"), {"key": "string", "flag": "boolean"})


def _double(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(doubled=frame["x"] * 2.0, flag=frame["x"] > 1)


def _batch(keys: list[str], xs: list[float]) -> pa.RecordBatch:
    return pa.RecordBatch.from_pydict({"key": keys, "x": xs})


def test_output_ddl_types_measures_as_double() -> None:
    """Named types are kept; every other column is a double."""
    assert OUTPUT.ddl == "key string, doubled double, flag boolean"


def test_row_wise_maps_each_batch_and_makes_nan_null() -> None:
    """One output table per batch, in the declared columns and types; NaN -> null."""
    handler = row_wise(_double, OUTPUT)()
    (first,) = handler.eval(_batch(["a", "b"], [1.0, math.nan]))
    (second,) = handler.eval(_batch(["c"], [3.0]))
    assert first.schema.names == ["key", "doubled", "flag"]
    assert first.schema.field("doubled").type == pa.float64()
    assert first.to_pydict() == {
        "key": ["a", "b"],
        "doubled": [2.0, None],
        "flag": [False, False],
    }
    assert second.to_pydict() == {"key": ["c"], "doubled": [6.0], "flag": [True]}


def test_whole_table_sees_every_batch_once() -> None:
    """eval only collects; terminate calls the function once on all the rows."""
    calls: list[int] = []

    def count(frame: pd.DataFrame) -> pd.DataFrame:
        calls.append(len(frame))
        return pd.DataFrame({"key": ["all"], "doubled": [frame["x"].sum()],
                             "flag": [True]})  # fmt: skip

    handler = whole_table(count, OUTPUT)()
    assert list(handler.eval(_batch(["a"], [1.0]))) == []
    assert list(handler.eval(_batch(["b", "c"], [2.0, 4.0]))) == []
    (result,) = handler.terminate()
    assert calls == [3]
    assert result.to_pydict() == {"key": ["all"], "doubled": [7.0], "flag": [True]}


def test_an_output_column_the_function_forgot_is_an_error() -> None:
    """A function that drops a declared column fails loudly, not with a null column."""
    handler = row_wise(lambda frame: frame.assign(doubled=1.0), OUTPUT)()
    with pytest.raises(KeyError, match="flag"):
        list(handler.eval(_batch(["a"], [1.0])))


@pytest.mark.parametrize("name", sorted(UDTFS))
def test_each_udtf_declares_its_package_columns(name: str) -> None:
    """The Spark return type lists the package function's output columns."""
    _, output = UDTFS[name]
    names = [field for field, _ in output.fields]
    assert len(names) == len(set(names)) > 2
    if name in ("opsmart_interval_baselines", "opsmart_interval_staffing"):
        assert names[:2] == ["queue_id", "interval_start_at"]
    if "interval_start_at" in names:
        assert dict(output.fields)["interval_start_at"] == "timestamp"


def test_the_baselines_handler_converts_real_output() -> None:
    """The handler Spark calls turns the package's output, reason codes included,
    into the declared Arrow types (a reason is text, not a double)."""
    from opsmart.queueing.baselines import INPUT_COLUMNS

    handler_class, output = UDTFS["opsmart_interval_baselines"]
    row = {
        "queue_id": "q1",
        "interval_start_at": pd.Timestamp("2026-03-02 10:00", tz="UTC"),
        "interval_seconds": 1800.0,
        "contacts_offered": 100.0,
        "aht_seconds": 180.0,
        "staffed_agents": 5.0,  # a load of 10 Erlangs on 5 agents: unstable
        "patience_seconds": None,
        "sl_threshold_seconds": 20.0,
        "sl_target_rate": 0.8,
    }
    batch = pa.RecordBatch.from_pylist(
        [{**row, "workload_aht_seconds": 180.0}],
    ).select([*INPUT_COLUMNS, "workload_aht_seconds"])
    (table,) = handler_class().eval(batch)
    assert dict(output.fields)["baseline_null_reason"] == "string"
    assert table.schema.field("baseline_null_reason").type == pa.string()
    assert table.column("baseline_null_reason").to_pylist() == ["unstable_load"]


#: The forecast vars both forecast-handler tests pass (their forecast_settings column).
FORECAST_SETTINGS = {
    "method": "seasonal_naive",
    "horizon_weeks": 1,
    "levels": [0.5, 0.8, 0.95],
    "interval_minutes": 30,
    "method_options": {},
}


def _history_batches(
    settings: dict[str, object], special_days: str | None = None
) -> list[pa.RecordBatch]:
    """Two queues as Spark hands them over (UTC instants, the settings as JSON on
    every row, in several batches): 4 weeks of 2 contacts an interval, and 1 week;
    with `special_days` (the seed's rows as JSON), a forecast_special_days column."""
    import json

    frames = []
    for queue_id, weeks in (("q4", 4), ("q1", 1)):
        starts = pd.date_range(
            end="2026-03-29 23:30", periods=weeks * 7 * 48, freq="30min", tz="UTC"
        )
        frames.append(
            pd.DataFrame(
                {
                    "queue_id": queue_id,
                    "interval_start_at": starts,
                    "contacts_offered": 2,
                    "contacts_answered": 2,
                    "handle_time_seconds": 600.0,
                    "timezone": "UTC",
                    "forecast_settings": json.dumps(settings),
                }
            )
        )
        if special_days is not None:
            frames[-1]["forecast_special_days"] = special_days
    table = pa.Table.from_pandas(pd.concat(frames), preserve_index=False)
    return table.to_batches(max_chunksize=1000)


def _run_whole(name: str, batches: list[pa.RecordBatch]) -> pa.Table:
    handler = UDTFS[name][0]()
    for batch in batches:
        assert list(handler.eval(batch)) == []
    (table,) = handler.terminate()
    return table


def test_the_forecast_handlers_read_their_settings_and_convert_real_output() -> None:
    """The forecast and backtest table functions take the vars from the
    forecast_settings column, call the package on every row at once and return
    the declared types: a local date, UTC instants, the reason as text."""
    from opsmart.forecast import backtest_queues, forecast_queues

    settings = dict(FORECAST_SETTINGS)
    batches = _history_batches(settings)
    history = pa.Table.from_batches(batches).to_pandas()
    history = history.drop(columns=["forecast_settings"])
    forecasts = _run_whole("opsmart_interval_forecasts", batches)
    assert forecasts.schema.field("interval_date").type == pa.date32()
    assert forecasts.schema.field("interval_start_at").type == pa.timestamp("us", "UTC")
    expected = forecast_queues(history, **settings)
    assert forecasts.num_rows == len(expected) == 7 * 48  # q1 is left out
    assert forecasts.column("contacts_offered_forecast").to_pylist() == [2.0] * 336
    first = forecasts.column("interval_start_at")[0].as_py()
    assert first == pd.Timestamp("2026-03-30", tz="UTC")  # the day after the data
    scores = _run_whole(
        "opsmart_forecast_backtests",
        _history_batches({**settings, "origins": 4}),
    ).to_pandas()
    assert scores["queue_id"].tolist() == ["q1", "q4"]
    assert scores["forecast_null_reason"].tolist()[0] == "too_little_history"
    assert scores["origins"].tolist() == [0, 1]
    expected_scores = backtest_queues(history, **settings, origins=4)
    assert scores["wape"].tolist()[1] == expected_scores["wape"].tolist()[1] == 0.0


def test_the_forecast_handlers_read_the_special_days_column() -> None:
    """The seed's rows arrive as Spark's to_json makes them (a null queue_id is
    left out): a closed day is 0 with its kind as text, a like_weekday day is
    named, and the backtest takes them too."""
    settings = dict(FORECAST_SETTINGS)
    special = (
        '[{"local_date":"2026-03-31","day_kind":"closed"},'
        '{"queue_id":"q4","local_date":"2026-04-01","day_kind":"like_weekday",'
        '"like_weekday":"sunday"}]'
    )
    forecasts = _run_whole(
        "opsmart_interval_forecasts", _history_batches(settings, special)
    )
    assert forecasts.schema.field("special_day_kind").type == pa.string()
    frame = forecasts.to_pandas()
    kinds = frame.groupby(frame["interval_date"].astype(str))["special_day_kind"]
    assert kinds.first().dropna().to_dict() == {
        "2026-03-31": "closed",
        "2026-04-01": "like_weekday",
    }
    closed = frame[frame["interval_date"].astype(str) == "2026-03-31"]
    assert closed["contacts_offered_forecast"].tolist() == [0.0] * 48
    assert closed["contacts_offered_upper_95"].tolist() == [0.0] * 48
    scores = _run_whole(
        "opsmart_forecast_backtests",
        _history_batches({**settings, "origins": 4}, "[]"),
    ).to_pandas()
    assert scores["origins"].tolist() == [0, 1]


def test_the_plan_handler_reads_its_settings_and_plans_the_whole_table() -> None:
    """The staffing plan's table function takes its settings from the
    forecast_settings column and plans every row at once, as Spark hands them
    over (a date, UTC instants, several batches): a quiet interval of q1 in the
    second batch takes q1's AHT of the day from the first. The package's agents,
    the declared types, the null reason as text (null or a code)."""
    import json

    from opsmart.forecast import PLAN_INPUT_COLUMNS, staffing_plan

    starts = pd.date_range("2026-03-30 09:00", periods=3, freq="30min", tz="UTC")
    frame = pd.DataFrame(
        {
            "queue_id": ["q1", "q2", "q1"],
            "horizon_week": [1, 1, 1],
            "contacts_offered_forecast": [100.0, 100.0, 0.4],
            "contacts_offered_upper_80": [120, 120, 1],
            "contacts_offered_upper_95": [135, 135, 2],
            "aht_seconds_forecast": [180.0, 180.0, None],
            "patience_seconds": [120.0, None, 120.0],
            "sl_threshold_seconds": [20, 20, 20],
            "sl_target_rate": [0.8, 0.8, 0.8],
            "shrinkage_rate": [0.2, None, 0.2],
            "agent_cost_per_hour_amount": [30.0, 30.0, 30.0],
            "waiting_cost_per_second_amount": [0.01, 0.01, 0.01],
            "abandon_cost_amount": [4.0, 4.0, 4.0],
            "interval_date": [dt.date(2026, 3, 30)] * 3,
            "interval_start_local_at": starts.tz_localize(None),
            "interval_start_at": starts,
        }
    ).loc[:, list(PLAN_INPUT_COLUMNS)]
    settings = {"interval_minutes": 30}
    table = pa.Table.from_pandas(
        frame.assign(forecast_settings=json.dumps(settings)), preserve_index=False
    )
    result = _run_whole("opsmart_staffing_plan", table.to_batches(max_chunksize=2))
    output = UDTFS["opsmart_staffing_plan"][1]
    assert result.schema.names == [name for name, _ in output.fields]
    assert result.schema.field("interval_date").type == pa.date32()
    assert result.schema.field("interval_start_at").type == pa.timestamp("us", "UTC")
    assert result.schema.field("required_agents").type == pa.float64()
    assert result.schema.field("is_aht_fallback").type == pa.bool_()
    assert result.schema.field("is_erlang_c_fallback").type == pa.bool_()
    expected = staffing_plan(frame, **settings)
    agents = result.column("required_agents").to_pylist()
    assert agents == expected["required_agents"].tolist()
    assert agents[1] == 14.0  # Erlang C at A = 10
    assert agents[2] > 0  # planned at q1's AHT of the day
    assert result.column("is_aht_fallback").to_pylist() == [False, False, True]
    assert result.column("plan_null_reason").to_pylist() == [None, "no_shrinkage", None]
    assert result.column("staffing_model").to_pylist() == [
        "erlang_a",
        "erlang_c",
        "erlang_a",
    ]
