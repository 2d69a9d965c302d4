-- The floor of the pipeline benchmark, part 2 of 2: the headline marts from the
-- tables of part 1 (floor_inputs.sql) and queue_interval_baselines, which
-- floor.py registers between the parts (run by opsmart/bench/floor.py; the same
-- placeholders as part 1).

-- ---------------------------------------------------------------- part 2: marts
-- floor.py has registered queue_interval_baselines: queue_intervals_joined with
-- the Erlang baselines appended.

create temp table fct_queue_intervals as
select
    queue_id,
    interval_start_at,
    channel,
    contacts_offered,
    contacts_answered,
    contacts_abandoned,
    contacts_answered_within_threshold,
    contacts_answered_within_threshold
    / nullif(contacts_answered + contacts_abandoned, 0) as service_level_rate,
    contacts_abandoned / nullif(contacts_offered, 0) as abandonment_rate,
    answered_wait_seconds / nullif(contacts_answered, 0) as asa_seconds,
    aht_seconds,
    waiting_seconds / interval_seconds as avg_queue_length,
    cast(max_queue_length as integer) as max_queue_length,
    case when not is_staffing_estimated then staffed_agents end as staffed_agents,
    staffed_agents as baseline_staffed_agents,
    handling_seconds / nullif(handling_seconds + available_seconds, 0)
        as occupancy_rate,
    handling_seconds / nullif(staffed_seconds, 0) as utilization_rate,
    cast(staff_cost_amount as decimal(18, 4)) as staff_cost_amount,
    cast(allocated_staff_cost_amount as decimal(18, 4))
        as allocated_staff_cost_amount,
    cast(
        allocated_staff_cost_amount / nullif(contacts_answered, 0)
        as decimal(18, 4)
    ) as cost_per_contact_amount,
    allocated_staff_cost_amount / nullif(handle_time_seconds, 0)
        as cost_per_handle_second_amount,
    patience_seconds,
    traffic_erlangs,
    erlang_c_service_level_rate,
    erlang_c_asa_seconds,
    erlang_a_service_level_rate,
    erlang_a_abandonment_rate,
    cast(required_agents_erlang_c as integer) as required_agents_erlang_c,
    cast(required_agents_erlang_a as integer) as required_agents_erlang_a,
    cast(staffing_gap_agents as integer) as staffing_gap_agents,
    is_staffing_estimated

from queue_interval_baselines
order by queue_id, interval_start_at;

-- Daily roll-up: the same ratios applied to the day's sums.
create temp table fct_queue_days as
with

summed as (

    select
        queue_id,
        cast(interval_start_at as date) as interval_date,
        max(channel) as channel,
        sum(contacts_offered) as contacts_offered,
        sum(contacts_answered) as contacts_answered,
        sum(contacts_abandoned) as contacts_abandoned,
        sum(contacts_answered_within_threshold)
            as contacts_answered_within_threshold,
        sum(answered_wait_seconds) as answered_wait_seconds,
        sum(handle_time_seconds) as handle_time_seconds,
        sum(staffed_seconds) as staffed_seconds,
        sum(available_seconds) as available_seconds,
        sum(handling_seconds) as handling_seconds,
        cast(sum(staff_cost_amount) as decimal(18, 4)) as staff_cost_amount,
        cast(sum(allocated_staff_cost_amount) as decimal(18, 4))
            as allocated_staff_cost_amount,
        sum(required_agents_erlang_a * interval_seconds) / 3600.0
            as required_agent_hours_erlang_a,
        sum(erlang_a_service_level_rate * contacts_offered)
            as erlang_a_answered_within_threshold,
        bool_or(is_staffing_estimated) as has_estimated_staffing

    from queue_interval_baselines
    group by 1, 2

)

select
    queue_id,
    interval_date,
    channel,
    cast(contacts_offered as bigint) as contacts_offered,
    cast(contacts_answered as bigint) as contacts_answered,
    cast(contacts_abandoned as bigint) as contacts_abandoned,
    contacts_answered_within_threshold
    / nullif(contacts_answered + contacts_abandoned, 0) as service_level_rate,
    contacts_abandoned / nullif(contacts_offered, 0) as abandonment_rate,
    answered_wait_seconds / nullif(contacts_answered, 0) as asa_seconds,
    handle_time_seconds / nullif(contacts_answered, 0) as aht_seconds,
    handling_seconds / nullif(handling_seconds + available_seconds, 0)
        as occupancy_rate,
    handling_seconds / nullif(staffed_seconds, 0) as utilization_rate,
    -- logged-in hours only: estimated staffing is not staffed time
    staffed_seconds / 3600.0 as staffed_agent_hours,
    required_agent_hours_erlang_a,
    erlang_a_answered_within_threshold / nullif(contacts_offered, 0)
        as erlang_a_service_level_rate,
    staff_cost_amount,
    case
        when staff_cost_amount is not null
            then coalesce(allocated_staff_cost_amount, 0)
    end as allocated_staff_cost_amount,
    staff_cost_amount - coalesce(allocated_staff_cost_amount, 0)
        as unallocated_staff_cost_amount,
    cast(
        allocated_staff_cost_amount / nullif(contacts_answered, 0)
        as decimal(18, 4)
    ) as cost_per_contact_amount,
    has_estimated_staffing

from summed
order by queue_id, interval_date;

-- Cost vs satisfaction per unit (queue, channel, segment, team) x period (week,
-- month). A handled contact costs its share of its queue-day's payroll
-- (contact_costs); the unit's customers bring their NPS answers and churn.
create temp table rpt_cost_vs_satisfaction as
with

customers as (

    select
        cast(customer_id as varchar) as customer_id,
        cast(segment as varchar) as segment,
        cast(timezone('UTC', cast(churned_at as timestamptz)) as date)
            as churned_date

    from ${customers}

),

responses as (

    select
        cast(contact_id as varchar) as contact_id,
        cast(customer_id as varchar) as customer_id,
        lower(cast(survey_type as varchar)) as survey_type,
        cast(score as double) as score,
        cast(scale_max as double) as scale_max,
        cast(timezone('UTC', cast(responded_at as timestamptz)) as date)
            as responded_date

    from ${survey_responses}

),

contacts_costed as (

    select
        contacts.contact_id,
        contacts.customer_id,
        contacts.queue_id,
        contacts.channel,
        coalesce(customers.segment, 'unknown') as segment,
        coalesce(queues.team_id, 'unknown') as team_id,
        contacts.is_answered,
        cast(date_trunc('week', contacts.arrived_date) as date) as week_start_date,
        cast(date_trunc('month', contacts.arrived_date) as date) as month_start_date,
        contact_costs.cost_amount

    from contacts
    left join contact_costs
        on contacts.contact_id = contact_costs.contact_id
    left join queues
        on contacts.queue_id = queues.queue_id
    left join customers
        on contacts.customer_id = customers.customer_id

),

-- One row per contact x unit it belongs to x period grain.
contact_units as (

    select
        dimensions.dimension_type,
        case dimensions.dimension_type
            when 'queue' then contacts_costed.queue_id
            when 'channel' then contacts_costed.channel
            when 'segment' then contacts_costed.segment
            when 'team' then contacts_costed.team_id
        end as dimension_value,
        grains.period_grain,
        case grains.period_grain
            when 'week' then contacts_costed.week_start_date
            else contacts_costed.month_start_date
        end as period_start_date,
        case grains.period_grain
            when 'week' then contacts_costed.week_start_date + 7
            else cast(contacts_costed.month_start_date + interval 1 month as date)
        end as next_period_start_date,
        contacts_costed.contact_id,
        contacts_costed.customer_id,
        contacts_costed.is_answered,
        contacts_costed.cost_amount

    from contacts_costed
    cross join (
        values ('queue'), ('channel'), ('segment'), ('team')
    ) as dimensions (dimension_type)
    cross join (values ('week'), ('month')) as grains (period_grain)

),

contacts_summed as (

    select
        dimension_type,
        dimension_value,
        period_grain,
        period_start_date,
        count(*) filter (where is_answered) as contacts_handled,
        count(cost_amount) as contacts_costed,
        sum(cost_amount) as staff_cost_amount

    from contact_units
    group by 1, 2, 3, 4

),

csat_summed as (

    select
        contact_units.dimension_type,
        contact_units.dimension_value,
        contact_units.period_grain,
        contact_units.period_start_date,
        count(*) as csat_responses,
        avg(cast(responses.score >= responses.scale_max - 1 as double))
            as csat_rate

    from contact_units
    inner join responses
        on contact_units.contact_id = responses.contact_id
    where responses.survey_type = 'csat'
    group by 1, 2, 3, 4

),

nps_by_customer_period as (

    select
        responses.customer_id,
        grains.period_grain,
        case grains.period_grain
            when 'week' then cast(date_trunc('week', responses.responded_date) as date)
            else cast(date_trunc('month', responses.responded_date) as date)
        end as period_start_date,
        count(*) as nps_responses,
        count(*) filter (where responses.score >= 9) as nps_promoters,
        count(*) filter (where responses.score >= 0 and responses.score < 7)
            as nps_detractors

    from responses
    cross join (values ('week'), ('month')) as grains (period_grain)
    where responses.survey_type = 'nps' and responses.customer_id is not null
    group by 1, 2, 3

),

-- The unit's customers: the known customers with a contact of the unit in the
-- period, one row each (so customers_served is a count of rows).
unit_customers as (

    select distinct
        dimension_type,
        dimension_value,
        period_grain,
        period_start_date,
        next_period_start_date,
        customer_id

    from contact_units
    where customer_id is not null

),

customers_summed as (

    select
        unit_customers.dimension_type,
        unit_customers.dimension_value,
        unit_customers.period_grain,
        unit_customers.period_start_date,
        count(*) as customers_served,
        coalesce(sum(nps_by_customer_period.nps_responses), 0) as nps_responses,
        coalesce(sum(nps_by_customer_period.nps_promoters), 0) as nps_promoters,
        coalesce(sum(nps_by_customer_period.nps_detractors), 0) as nps_detractors,
        count(customers.customer_id) as customers_in_crm,
        count(customers.customer_id) filter (
            where customers.churned_date >= unit_customers.period_start_date
            and customers.churned_date < unit_customers.next_period_start_date
        ) as customers_churned

    from unit_customers
    left join customers
        on unit_customers.customer_id = customers.customer_id
    left join nps_by_customer_period
        on
            unit_customers.customer_id = nps_by_customer_period.customer_id
            and unit_customers.period_grain = nps_by_customer_period.period_grain
            and unit_customers.period_start_date
            = nps_by_customer_period.period_start_date
    group by 1, 2, 3, 4

)

select
    contacts_summed.dimension_type,
    contacts_summed.dimension_value,
    contacts_summed.period_grain,
    contacts_summed.period_start_date,
    contacts_summed.contacts_handled,
    coalesce(customers_summed.customers_served, 0) as customers_served,
    cast(contacts_summed.staff_cost_amount as decimal(18, 4)) as staff_cost_amount,
    cast(
        contacts_summed.staff_cost_amount
        / nullif(contacts_summed.contacts_costed, 0)
        as decimal(18, 4)
    ) as cost_per_contact_amount,
    coalesce(csat_summed.csat_responses, 0) as csat_responses,
    csat_summed.csat_rate,
    cast(coalesce(customers_summed.nps_responses, 0) as bigint) as nps_responses,
    100.0 * (customers_summed.nps_promoters - customers_summed.nps_detractors)
    / nullif(customers_summed.nps_responses, 0) as nps,
    coalesce(customers_summed.customers_in_crm, 0) as customers_in_crm,
    coalesce(customers_summed.customers_churned, 0) as customers_churned,
    customers_summed.customers_churned
    / nullif(customers_summed.customers_in_crm, 0) as churn_rate

from contacts_summed
left join csat_summed
    on
        contacts_summed.dimension_type = csat_summed.dimension_type
        and contacts_summed.dimension_value = csat_summed.dimension_value
        and contacts_summed.period_grain = csat_summed.period_grain
        and contacts_summed.period_start_date = csat_summed.period_start_date
left join customers_summed
    on
        contacts_summed.dimension_type = customers_summed.dimension_type
        and contacts_summed.dimension_value = customers_summed.dimension_value
        and contacts_summed.period_grain = customers_summed.period_grain
        and contacts_summed.period_start_date = customers_summed.period_start_date
order by 1, 2, 3, 4;
