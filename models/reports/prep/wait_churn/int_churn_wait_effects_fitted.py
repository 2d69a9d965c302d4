"""The wait -> churn fit: a thin adapter over opsmart.effects.churn_wait_effects.

The monotone logistic regression, its standard errors and the price of a second of
waiting are computed (and tested) in the package; this model hands it the customer
windows and stores one row per term.
"""

from opsmart.effects import churn_wait_effects


def model(dbt, session):
    dbt.config(materialized="table")
    windows = dbt.ref("int_customer_windows_aggregated").df()
    return churn_wait_effects(windows)
