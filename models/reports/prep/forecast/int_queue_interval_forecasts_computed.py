"""Interval forecasts of every queue with enough history: a thin adapter over
opsmart.forecast.forecast_queues (the methods, the prediction intervals and which
queues have too little history are the package's, tested there). The settings
come from the vars, through the model's config forecast_settings
(_prep_forecast__models.yml).
"""

from opsmart.forecast import QUEUE_HISTORY_COLUMNS, forecast_queues


def model(dbt, session):
    dbt.config(materialized="table")
    settings = dbt.config.get("forecast_settings")
    history = dbt.ref("int_forecast_histories_joined").select(*QUEUE_HISTORY_COLUMNS)
    return forecast_queues(history.df(), **settings)
