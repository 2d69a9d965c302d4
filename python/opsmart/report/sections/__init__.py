"""The ten sections of the nightly report: one function each, returning HTML.

Each function takes a `ReportContext` (a read-only DuckDB connection, the run date,
the dbt vars in force) and returns the section's body. A table the warehouse does not
have, a day without data or a source that was never delivered (no surveys means null
CSAT) gives a "no data" note, never an exception and never a 0 for a null.
`SECTIONS` lists them in report order with the question each answers.

One module per section (`_okr_scorecard`, `_service_level`, ...), the helpers they
share in `_common`; this package is the public face. The modules are private so
that `sections.service_level` stays the section function, not a module.
"""

from __future__ import annotations

from opsmart.report.sections._common import (
    ReportContext,
    SectionSpec,
    missing_tables,
    query,
)
from opsmart.report.sections._cost_vs_satisfaction import cost_vs_satisfaction
from opsmart.report.sections._customer_feedback import top_feedback
from opsmart.report.sections._data_quality import data_quality
from opsmart.report.sections._definitions import definitions
from opsmart.report.sections._demand_matrix import demand_matrix
from opsmart.report.sections._forecast_plan import forecast_plan
from opsmart.report.sections._okr_scorecard import okr_scorecard
from opsmart.report.sections._service_level import service_level
from opsmart.report.sections._staffing import staffing
from opsmart.report.sections._wait_curve import wait_curve

__all__ = [
    "SECTIONS",
    "ReportContext",
    "SectionSpec",
    "cost_vs_satisfaction",
    "data_quality",
    "definitions",
    "demand_matrix",
    "forecast_plan",
    "missing_tables",
    "okr_scorecard",
    "query",
    "service_level",
    "staffing",
    "top_feedback",
    "wait_curve",
]

SECTIONS: tuple[SectionSpec, ...] = (
    SectionSpec(
        "okr-scorecard",
        "OKR scorecard",
        "Are we on track for every key result, and which way is each one moving?",
        okr_scorecard,
    ),
    SectionSpec(
        "service-level",
        "Service level, ASA and abandonment by interval",
        "Did each interval of the day get the service its staffing should have given "
        "(Erlang A), and where were we short of agents?",
        service_level,
    ),
    SectionSpec(
        "cost-vs-satisfaction",
        "Cost per contact vs CSAT and NPS",
        "Which queues and segments buy the most satisfaction for their cost?",
        cost_vs_satisfaction,
    ),
    SectionSpec(
        "wait-curve",
        "The wait -> satisfaction -> churn curve",
        "How much do longer waits cost in satisfaction and in customers, and what is "
        "one second of waiting worth?",
        wait_curve,
    ),
    SectionSpec(
        "staffing",
        "Value-optimal staffing",
        "Did we staff each queue at what the service target needs, and at what the "
        "value-optimal staffing would have cost?",
        staffing,
    ),
    SectionSpec(
        "forecast-plan",
        "Next week: forecast and staffing plan",
        "How many contacts do we expect next week by half-hour, how sure are we, "
        "how many agents does that take, and how accurate were the last weeks' "
        "forecasts?",
        forecast_plan,
    ),
    SectionSpec(
        "demand-matrix",
        "Demand matrix",
        "Which contact reasons should be automated, tooled, flexibly staffed or sent "
        "to experts?",
        demand_matrix,
    ),
    SectionSpec(
        "customer-feedback",
        "Top customer-feedback themes by department",
        "What are customers telling us, and which department owns each theme?",
        top_feedback,
    ),
    SectionSpec(
        "data-quality",
        "Data quality",
        "Can these numbers be trusted: what was loaded, set aside and validated?",
        data_quality,
    ),
    SectionSpec(
        "definitions",
        "Definitions in force",
        "Which KPI definitions (dbt vars) produced these numbers?",
        definitions,
    ),
)
