"""The wait -> churn fit: a thin adapter over opsmart.effects.churn_wait_effects.

The monotone logistic regression, its standard errors and the price of a second of
waiting are computed (and tested) in the package; this model hands it the customer
windows and stores one row per term.
"""

from opsmart.effects import churn_wait_effects
from opsmart.effects.churn import CHURN_INPUT_COLUMNS


def model(dbt, session):
    dbt.config(materialized="table")
    # Build order only, not read: the fit's frame and matrices live outside DuckDB's
    # memory cap, so it runs after fct_customer_months and before
    # rpt_cost_vs_satisfaction (whose depends_on names it), the build's two largest
    # aggregations over every contact, not beside either; beside the mart a year's
    # build peaked at 3.35 GB (docs/performance.md).
    dbt.ref("fct_customer_months")
    # Only the fit's columns: a year has about 5 M windows, and the unused ones (the
    # customer id as 5 M Python strings, the window bounds) took the dbt process
    # 1.2 GB above DuckDB's memory cap while the frame was built (docs/performance.md).
    windows = dbt.ref("int_customer_windows_aggregated").select(*CHURN_INPUT_COLUMNS)
    return churn_wait_effects(windows.df())
