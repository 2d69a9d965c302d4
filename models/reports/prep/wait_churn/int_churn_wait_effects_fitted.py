"""The wait -> churn fit: a thin adapter over opsmart.effects.churn_wait_effects.

The monotone logistic regression, its standard errors and the price of a second of
waiting are computed (and tested) in the package; this model hands it the customer
windows and stores one row per term.
"""

from opsmart.effects import churn_wait_effects
from opsmart.effects.churn import CHURN_INPUT_COLUMNS


def model(dbt, session):
    dbt.config(materialized="table")
    # Only the fit's columns: a year has about 5 M windows, and the unused ones (the
    # customer id as 5 M Python strings, the window bounds) took the dbt process
    # 1.2 GB above DuckDB's memory cap while the frame was built (docs/performance.md).
    windows = dbt.ref("int_customer_windows_aggregated").select(*CHURN_INPUT_COLUMNS)
    return churn_wait_effects(windows.df())
