{# The reporting periods the data covers, and whether each is whole. The data span is
   defined here once: from the first to the last date with contacts
   (fct_contacts.arrived_date, the center's calendar date). A period is complete when
   every one of its days lies inside the span; only the first and the last period of
   a grain can be partial, because the span has no holes by definition (a day without
   contacts inside it is a quiet day, not missing data). Reports join here for
   is_period_complete and days_covered rather than deciding for themselves. #}
{%- set grains = ['week', 'month'] -%}
with

contacts as (

    select arrived_date

    from {{ ref('fct_contacts') }}

),

data_span as (

    select
        min(arrived_date) as data_first_date,
        max(arrived_date) as data_last_date

    from contacts

),

{# Every week (ISO, Monday) and month that holds a day of the span. #}
periods as (

    {% for grain in grains %}
    select
        '{{ grain }}' as period_grain,
        cast(period_start_at as date) as period_start_date,
        cast(period_start_at + interval 1 {{ grain }} as date)
            as next_period_start_date,
        data_first_date,
        data_last_date

    from (
        select
            {{ series(
                "date_trunc('" ~ grain ~ "', data_first_date)",
                "date_trunc('" ~ grain ~ "', data_last_date)",
                'interval 1 ' ~ grain
            ) }} as period_start_at,
            data_first_date,
            data_last_date

        from data_span
        where data_first_date is not null
    ) as series
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

bounded as (

    select
        period_grain,
        period_start_date,
        cast(
            {{ dbt.dateadd('day', -1, 'next_period_start_date') }} as date
        ) as period_end_date,
        data_first_date,
        data_last_date

    from periods

),

final as (

    select
        period_grain,
        cast(
            {{ dbt.datediff('period_start_date', 'period_end_date', 'day') }} + 1
            as integer
        ) as days_in_period,
        {# every period here overlaps the span, so at least one day is covered #}
        cast(
            {{ dbt.datediff(
                'greatest(period_start_date, data_first_date)',
                'least(period_end_date, data_last_date)',
                'day'
            ) }} + 1 as integer
        ) as days_covered,
        (
            period_start_date >= data_first_date
            and period_end_date <= data_last_date
        ) as is_period_complete,
        period_start_date,
        period_end_date,
        data_first_date,
        data_last_date

    from bounded

)

select * from final
