{# Pareto efficiency of the current row among the rows of `candidates` that share its
   `partition_by` columns: true when no candidate is at least as good on every
   objective and strictly better on one (exact ties dominate nobody, so tied units
   are all efficient); null when any objective of the row is null. Candidates with a
   null objective dominate nobody. `row` is the alias of the outer row; objectives are
   lists of column names: `lower_is_better` and `higher_is_better`. #}
{% macro pareto_efficient(
    candidates, row, partition_by, lower_is_better=[], higher_is_better=[]
) -%}
    {%- set objectives = [] -%}
    {%- for column in lower_is_better -%}
        {%- do objectives.append((column, '<')) -%}
    {%- endfor -%}
    {%- for column in higher_is_better -%}
        {%- do objectives.append((column, '>')) -%}
    {%- endfor -%}
    case
        when {% for column, _ in objectives -%}
            {{ row }}.{{ column }} is null{% if not loop.last %} or {% endif %}
        {%- endfor %} then null
        else not exists (
            select 1
            from {{ candidates }} as dominating
            where
                {% for column in partition_by -%}
                dominating.{{ column }} = {{ row }}.{{ column }} and
                {% endfor -%}
                {% for column, better in objectives -%}
                dominating.{{ column }} {{ better }}= {{ row }}.{{ column }} and
                {% endfor -%}
                ({% for column, better in objectives -%}
                dominating.{{ column }} {{ better }} {{ row }}.{{ column }}
                {%- if not loop.last %} or {% endif %}
                {%- endfor %})
        )
    end
{%- endmacro %}
