"""The mart suites: table suites on the marts and reports, reconciliations
between marts, and drift of the window against the trailing days."""

from __future__ import annotations

from opsmart.validation.suites._rules import (
    Rule,
    Suite,
    _band,
    _between,
    _equal,
    _mean_within,
    _non_negative,
    _nps,
    _rates,
    _unique,
)
from opsmart.validation.suites._thresholds import (
    AHT_DRIFT_RATIO_BAND,
    AHT_SECONDS_BAND,
    CONTACT_SECONDS_MAX,
    CSAT_DRIFT_POINTS,
    DEFERRED_ASA_SECONDS_MAX,
    DRIFT_TRAILING_DAYS,
    OCCUPANCY_RATE_MAX,
    REALTIME_ASA_SECONDS_MAX,
    REALTIME_WAIT_SECONDS_MAX,
    SERVICE_LEVEL_DRIFT_POINTS,
    SHRINKAGE_RATE_MAX,
    UTILIZATION_RATE_MAX,
)

__all__ = ["MART_SUITES"]

# ==============================================================================
# Marts and reports. Facts: the rows of the window; dims and small reports: every row.
# ==============================================================================

_IN_WINDOW = "between $window_start and $window_end"
# Real-time channels (voice, chat by default) are dbt's var realtime_channels, bound
# as $realtime_channels by validate_marts: the wait bands below hold for exactly the
# channels the reports price waiting for.

_MART_TABLE_SUITES: tuple[tuple[str, str, tuple[Rule, ...]], ...] = (
    (
        "marts.fct_contacts",
        f"""
        select
            contact_id, handle_time_seconds, cost_amount,
            case when list_contains($realtime_channels, channel) then wait_seconds end
                as realtime_wait_seconds
        from marts.fct_contacts where arrived_date {_IN_WINDOW}
        """,
        (
            _unique("contact_id"),
            _between("handle_time_seconds", 0),
            _band("handle_time_seconds", max_value=CONTACT_SECONDS_MAX),
            _band("realtime_wait_seconds", max_value=REALTIME_WAIT_SECONDS_MAX),
            _between("cost_amount", 0),
        ),
    ),
    (
        "marts.fct_queue_intervals",
        f"""
        select
            *,
            case when list_contains($realtime_channels, channel) then asa_seconds end
                as realtime_asa_seconds,
            case when channel in ('email', 'message') then asa_seconds end
                as deferred_asa_seconds
        from marts.fct_queue_intervals where interval_date {_IN_WINDOW}
        """,
        (
            _unique("queue_id", "interval_start_at"),
            *_rates(
                "service_level_rate",
                "abandonment_rate",
                "occupancy_rate",
                "utilization_rate",
                "shrinkage_rate",
                "transfer_rate",
                "fcr_rate",
                "erlang_c_service_level_rate",
                "erlang_c_occupancy_rate",
                "erlang_a_service_level_rate",
                "erlang_a_abandonment_rate",
                "erlang_a_occupancy_rate",
            ),
            _band("aht_seconds", *AHT_SECONDS_BAND),
            _band("realtime_asa_seconds", 0, REALTIME_ASA_SECONDS_MAX),
            _band("deferred_asa_seconds", 0, DEFERRED_ASA_SECONDS_MAX),
        ),
    ),
    (
        "marts.fct_queue_days",
        f"""
        select
            *,
            case when list_contains($realtime_channels, channel) then asa_seconds end
                as realtime_asa_seconds
        from marts.fct_queue_days where interval_date {_IN_WINDOW}
        """,
        (
            _unique("queue_id", "interval_date"),
            *_rates(
                "service_level_rate",
                "abandonment_rate",
                "occupancy_rate",
                "utilization_rate",
                "shrinkage_rate",
                "transfer_rate",
                "fcr_rate",
                "erlang_a_service_level_rate",
            ),
            _band("aht_seconds", *AHT_SECONDS_BAND),
            _band("realtime_asa_seconds", 0, REALTIME_ASA_SECONDS_MAX),
            _band("occupancy_rate", max_value=OCCUPANCY_RATE_MAX),
            _band("utilization_rate", max_value=UTILIZATION_RATE_MAX),
            _band("shrinkage_rate", max_value=SHRINKAGE_RATE_MAX),
        ),
    ),
    (
        "marts.fct_agent_intervals",
        f"""
        select * from marts.fct_agent_intervals
        where interval_date {_IN_WINDOW}
        """,
        (
            _unique("agent_id", "queue_id", "interval_start_at"),
            *_rates("occupancy_rate", "utilization_rate", "shrinkage_rate"),
            *_non_negative("staffed_seconds", "staff_cost_amount"),
        ),
    ),
    (
        "marts.fct_survey_responses",
        f"select * from marts.fct_survey_responses where responded_date {_IN_WINDOW}",
        (_unique("response_id"), *_rates("score_rate")),
    ),
    (
        "marts.fct_customer_months",
        """
        select * from marts.fct_customer_months
        where month_start_date between date_trunc('month', cast($window_start as date))
            and $window_end
        """,
        (
            _unique("customer_id", "month_start_date"),
            *_rates("csat_rate"),
            *_non_negative("avg_wait_seconds", "cost_to_serve_amount"),
        ),
    ),
    (
        "marts.dim_queues",
        "select * from marts.dim_queues",
        (_unique("queue_id"), *_rates("sl_target_rate", "abandonment_target_rate")),
    ),
    ("marts.dim_agents", "select * from marts.dim_agents", (_unique("agent_id"),)),
    (
        "marts.dim_periods",
        "select * from marts.dim_periods",
        (_unique("period_grain", "period_start_date"),),
    ),
    (
        "marts.dim_customers",
        "select * from marts.dim_customers",
        (
            _unique("customer_id"),
            _band("monthly_revenue_amount", 0),
        ),
    ),
    (
        "reports.rpt_cost_vs_satisfaction",
        "select * from reports.rpt_cost_vs_satisfaction",
        (
            _unique(
                "dimension_type", "dimension_value", "period_grain", "period_start_date"
            ),
            *_rates(
                "csat_rate",
                "csat_top2box_rate",
                "csat_score_rate",
                "churn_rate",
                "retention_rate",
            ),
            *_nps("nps", "nps_ci_lower", "nps_ci_upper"),
        ),
    ),
    (
        "reports.rpt_quality_vs_productivity",
        "select * from reports.rpt_quality_vs_productivity",
        (
            _unique("unit_type", "unit_id", "week_start_date"),
            *_rates("fcr_rate", "csat_rate", "transfer_rate", "occupancy_rate"),
            _band("aht_seconds", *AHT_SECONDS_BAND),
        ),
    ),
    (
        "reports.rpt_okr_scorecard",
        """
        select
            key_result_id, period_start_date,
            case when kpi like '%\\_rate' escape '\\' then actual end as rate_actual,
            case when kpi = 'nps' then actual end as nps_actual
        from reports.rpt_okr_scorecard
        """,
        (
            _unique("key_result_id", "period_start_date"),
            *_rates("rate_actual"),
            *_nps("nps_actual"),
        ),
    ),
    (
        "reports.rpt_demand_matrix",
        "select * from reports.rpt_demand_matrix",
        (
            _unique("contact_reason"),
            *_rates(
                "containment_rate",
                "transfer_rate",
                "unresolved_rate",
                "resolution_complexity_index",
            ),
        ),
    ),
    (
        "reports.rpt_customer_feedback",
        "select response_id, theme from reports.rpt_customer_feedback",
        (_unique("response_id", "theme"),),
    ),
    (
        "reports.rpt_wait_experience_curve",
        "select * from reports.rpt_wait_experience_curve",
        (
            _unique("wait_band_index", "is_resolved"),
            *_rates(
                "csat_rate",
                "csat_rate_lower",
                "csat_rate_upper",
                "churn_rate",
                "churn_rate_lower",
                "churn_rate_upper",
            ),
            *_nps("nps", "nps_lower", "nps_upper"),
        ),
    ),
    (
        "reports.rpt_wait_churn_effects",
        "select term from reports.rpt_wait_churn_effects",
        (_unique("term"),),
    ),
    (
        "reports.rpt_staffing",
        f"select * from reports.rpt_staffing where interval_date {_IN_WINDOW}",
        (
            _unique("queue_id", "interval_start_at"),
            *_non_negative("money_at_stake_amount", "money_at_stake_lower_amount"),
        ),
    ),
    (
        "reports.rpt_staffing_daily",
        f"select * from reports.rpt_staffing_daily where interval_date {_IN_WINDOW}",
        (_unique("queue_id", "interval_date"),),
    ),
)

# --- reconciliations (error): the same quantity counted in two marts, per queue x day.
# Full outer joins, so a queue-day present in one mart only shows up as a mismatch.

_RECONCILIATIONS: tuple[Suite, ...] = (
    Suite(
        name="reconciliation",
        tables=("marts.fct_contacts", "marts.fct_queue_intervals"),
        sql=f"""
        with contacts as (
            select
                queue_id,
                interval_date,
                count(*) filter (where is_offered) as offered,
                count(*) filter (where is_answered) as answered,
                count(*) filter (where is_abandoned) as abandoned,
                count(*) filter (where outcome = 'contained') as contained
            from marts.fct_contacts
            where interval_date {_IN_WINDOW}
            group by all
        ),
        intervals as (
            select
                queue_id,
                interval_date,
                sum(contacts_offered) as offered,
                sum(contacts_answered) as answered,
                sum(contacts_abandoned) as abandoned,
                sum(contacts_contained) as contained
            from marts.fct_queue_intervals
            where interval_date {_IN_WINDOW}
            group by all
        )
        select
            queue_id,
            interval_date,
            coalesce(contacts.offered, 0) as fct_contacts_offered,
            coalesce(intervals.offered, 0) as fct_queue_intervals_offered,
            coalesce(contacts.answered, 0) as fct_contacts_answered,
            coalesce(intervals.answered, 0) as fct_queue_intervals_answered,
            coalesce(contacts.abandoned, 0) as fct_contacts_abandoned,
            coalesce(intervals.abandoned, 0) as fct_queue_intervals_abandoned,
            coalesce(contacts.contained, 0) as fct_contacts_contained,
            coalesce(intervals.contained, 0) as fct_queue_intervals_contained
        from contacts full join intervals using (queue_id, interval_date)
        """,
        rules=(
            _equal("fct_contacts_offered", "fct_queue_intervals_offered"),
            _equal("fct_contacts_answered", "fct_queue_intervals_answered"),
            _equal("fct_contacts_abandoned", "fct_queue_intervals_abandoned"),
            _equal("fct_contacts_contained", "fct_queue_intervals_contained"),
        ),
    ),
    Suite(
        name="reconciliation",
        tables=("marts.fct_queue_days", "marts.fct_queue_intervals"),
        sql=f"""
        with intervals as (
            select
                queue_id,
                interval_date,
                sum(contacts_offered) as offered,
                sum(contacts_answered) as answered,
                sum(staff_cost_amount) as staff_cost
            from marts.fct_queue_intervals
            where interval_date {_IN_WINDOW}
            group by all
        ),
        days as (
            select queue_id, interval_date, contacts_offered as offered,
                contacts_answered as answered, staff_cost_amount as staff_cost
            from marts.fct_queue_days
            where interval_date {_IN_WINDOW}
        )
        select
            queue_id,
            interval_date,
            coalesce(days.offered, 0) as fct_queue_days_offered,
            coalesce(intervals.offered, 0) as fct_queue_intervals_offered,
            coalesce(days.answered, 0) as fct_queue_days_answered,
            coalesce(intervals.answered, 0) as fct_queue_intervals_answered,
            days.staff_cost as fct_queue_days_staff_cost_amount,
            intervals.staff_cost as fct_queue_intervals_staff_cost_amount
        from days full join intervals using (queue_id, interval_date)
        """,
        rules=(
            _equal("fct_queue_days_offered", "fct_queue_intervals_offered"),
            _equal("fct_queue_days_answered", "fct_queue_intervals_answered"),
            _equal(
                "fct_queue_days_staff_cost_amount",
                "fct_queue_intervals_staff_cost_amount",
            ),
        ),
    ),
    Suite(
        name="reconciliation",
        tables=("marts.fct_agent_intervals", "marts.fct_queue_intervals"),
        sql=f"""
        with agents as (
            select
                queue_id,
                interval_date,
                sum(staff_cost_amount) as staff_cost
            from marts.fct_agent_intervals
            where interval_date {_IN_WINDOW}
            group by all
        ),
        intervals as (
            select queue_id, interval_date, sum(staff_cost_amount) as staff_cost
            from marts.fct_queue_intervals
            where interval_date {_IN_WINDOW}
            group by all
        )
        select
            queue_id,
            interval_date,
            agents.staff_cost as fct_agent_intervals_staff_cost_amount,
            intervals.staff_cost as fct_queue_intervals_staff_cost_amount
        from agents full join intervals using (queue_id, interval_date)
        """,
        rules=(
            _equal(
                "fct_agent_intervals_staff_cost_amount",
                "fct_queue_intervals_staff_cost_amount",
            ),
        ),
    ),
    Suite(
        # One cost: each queue-day's payroll is allocated to its handled contacts
        # (to the cent: their 4-decimal costs add up to it exactly) or, on a day
        # without any, is its unallocated line.
        name="reconciliation",
        tables=("marts.fct_contacts", "marts.fct_queue_days"),
        sql=f"""
        with contacts as (
            select
                queue_id,
                interval_date,
                sum(cost_amount) as cost
            from marts.fct_contacts
            where interval_date {_IN_WINDOW}
            group by all
        ),
        days as (
            select
                queue_id,
                interval_date,
                allocated_staff_cost_amount as allocated,
                staff_cost_amount - unallocated_staff_cost_amount as payroll_allocated
            from marts.fct_queue_days
            where interval_date {_IN_WINDOW}
        )
        select
            queue_id,
            interval_date,
            coalesce(contacts.cost, 0) as fct_contacts_cost_amount,
            coalesce(days.allocated, 0) as fct_queue_days_allocated_staff_cost_amount,
            coalesce(days.payroll_allocated, 0)
                as fct_queue_days_payroll_less_unallocated_amount
        from contacts full join days using (queue_id, interval_date)
        """,
        rules=(
            _equal(
                "fct_contacts_cost_amount",
                "fct_queue_days_allocated_staff_cost_amount",
            ),
            _equal(
                "fct_queue_days_allocated_staff_cost_amount",
                "fct_queue_days_payroll_less_unallocated_amount",
            ),
        ),
    ),
)

# --- drift (warn): the window's mean vs the DRIFT_TRAILING_DAYS before the window.
# Contact-level means are the KPIs themselves: the mean handle time of answered contacts
# is AHT, and the mean of answered-within-threshold over answered + abandoned contacts
# is the service level (sl_method offered, the project default); the mean top-2-box
# flag of CSAT answers is the CSAT rate (csat_method top2box).

_TRAILING = (
    f"between cast($window_start as date) - {DRIFT_TRAILING_DAYS} "
    "and cast($window_start as date) - 1"
)
_AHT_LOW, _AHT_HIGH = AHT_DRIFT_RATIO_BAND

_DRIFT: tuple[Suite, ...] = (
    Suite(
        name="drift",
        tables=("marts.fct_contacts",),
        sql=f"""
        select
            handle_time_seconds,
            cast(is_answered_within_threshold as double) as is_answered_within_threshold
        from marts.fct_contacts
        where arrived_date {_IN_WINDOW} and (is_answered or is_abandoned)
        """,
        baseline_sql=f"""
        select
            avg(handle_time_seconds) * {_AHT_LOW} as aht_min_seconds,
            avg(handle_time_seconds) * {_AHT_HIGH} as aht_max_seconds,
            avg(cast(is_answered_within_threshold as double))
                - {SERVICE_LEVEL_DRIFT_POINTS} as service_level_min_rate,
            avg(cast(is_answered_within_threshold as double))
                + {SERVICE_LEVEL_DRIFT_POINTS} as service_level_max_rate,
            avg(handle_time_seconds) as trailing_aht_seconds,
            avg(cast(is_answered_within_threshold as double))
                as trailing_service_level_rate
        from marts.fct_contacts
        where arrived_date {_TRAILING} and (is_answered or is_abandoned)
        """,
        rules=(
            _mean_within("handle_time_seconds", "aht_min_seconds", "aht_max_seconds"),
            _mean_within(
                "is_answered_within_threshold",
                "service_level_min_rate",
                "service_level_max_rate",
            ),
        ),
    ),
    Suite(
        name="drift",
        tables=("marts.fct_survey_responses",),
        sql=f"""
        select cast(is_top2box as double) as is_top2box
        from marts.fct_survey_responses
        where survey_type = 'csat' and responded_date {_IN_WINDOW}
        """,
        baseline_sql=f"""
        select
            avg(cast(is_top2box as double)) - {CSAT_DRIFT_POINTS} as csat_min_rate,
            avg(cast(is_top2box as double)) + {CSAT_DRIFT_POINTS} as csat_max_rate,
            avg(cast(is_top2box as double)) as trailing_csat_rate
        from marts.fct_survey_responses
        where survey_type = 'csat' and responded_date {_TRAILING}
        """,
        rules=(_mean_within("is_top2box", "csat_min_rate", "csat_max_rate"),),
    ),
)

MART_SUITES: tuple[Suite, ...] = (
    *(
        Suite(name=name, tables=(name,), sql=sql, rules=rules)
        for name, sql, rules in _MART_TABLE_SUITES
    ),
    *_RECONCILIATIONS,
    *_DRIFT,
)
