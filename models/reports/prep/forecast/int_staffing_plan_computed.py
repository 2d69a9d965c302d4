"""The staffing plan of the forecast horizon: a thin adapter over
opsmart.forecast.staffing_plan (agents by Erlang A for the service target and
value-optimal, at the point forecast and its upper bounds, scheduled after
shrinkage; the fallback to Erlang C and the null reasons are the package's, tested
there). The settings come from the vars, through the model's config plan_settings
(_prep_forecast__models.yml).
"""

from opsmart.forecast import PLAN_INPUT_COLUMNS, staffing_plan


def model(dbt, session):
    dbt.config(materialized="table")
    settings = dbt.config.get("plan_settings")
    inputs = dbt.ref("int_staffing_plan_inputs_joined").select(*PLAN_INPUT_COLUMNS)
    return staffing_plan(inputs.df(), **settings)
