"""Per queue: its weeks of history, whether it is forecast (and why not), and the
rolling-origin backtest of the forecast method: a thin adapter over
opsmart.forecast.backtest_queues, with the settings and the special days (seed
forecast_special_days) of the forecast model.
"""

from opsmart.forecast import QUEUE_HISTORY_COLUMNS, SPECIAL_DAY_COLUMNS, backtest_queues


def model(dbt, session):
    dbt.config(materialized="table")
    settings = dbt.config.get("forecast_settings")
    history = dbt.ref("int_forecast_histories_joined").select(*QUEUE_HISTORY_COLUMNS)
    special_days = dbt.ref("forecast_special_days").select(*SPECIAL_DAY_COLUMNS)
    return backtest_queues(history.df(), special_days=special_days.df(), **settings)
