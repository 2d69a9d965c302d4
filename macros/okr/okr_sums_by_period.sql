{#- The OKR scorecard's sums of one kind of row (contacts, survey answers, agent
    time) per channel scope and period, for each period grain: one select per
    grain over `relation`, each row in the period its `date_column` falls in,
    with the aggregate columns `sums` (macros okr_contact_sums, okr_survey_sums,
    okr_agent_time_sums). One shape for every summed CTE, so their keys cannot
    drift apart. -#}
{% macro okr_sums_by_period(relation, date_column, sums, grains) -%}
    {%- for grain in grains %}
        select
            channel_scope,
            '{{ grain }}' as period_grain,
            cast(date_trunc('{{ grain }}', {{ date_column }}) as date)
                as period_start_date,
            {{ sums }}

        from {{ relation }}
        group by 1, 2, 3
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
{%- endmacro %}
