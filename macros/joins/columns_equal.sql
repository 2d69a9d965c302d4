{#- A join condition on shared key columns: `left`.c = `right`.c for each column c
    of `columns`, joined by `and`. For a model that joins several CTEs of one grain
    on the same keys: the keys are named once, and no join can miss one. -#}
{% macro columns_equal(left, right, columns) -%}
    {%- for column in columns -%}
        {%- if not loop.first %} and {% endif -%}
        {{ left }}.{{ column }} = {{ right }}.{{ column }}
    {%- endfor -%}
{%- endmacro %}
