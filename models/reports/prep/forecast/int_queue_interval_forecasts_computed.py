"""Interval forecasts of every queue with enough history: a thin adapter over
opsmart.forecast.forecast_queues (the methods, the prediction intervals and which
queues have too little history are the package's, tested there). The settings
come from the vars, through the model's config forecast_settings
(_prep_forecast__models.yml); the holidays and event days from the seed
forecast_special_days.
"""

from opsmart.forecast import QUEUE_HISTORY_COLUMNS, SPECIAL_DAY_COLUMNS, forecast_queues


def model(dbt, session):
    dbt.config(materialized="table")
    settings = dbt.config.get("forecast_settings")
    history = dbt.ref("int_forecast_histories_joined").select(*QUEUE_HISTORY_COLUMNS)
    special_days = dbt.ref("forecast_special_days").select(*SPECIAL_DAY_COLUMNS)
    return forecast_queues(history.df(), special_days=special_days.df(), **settings)
