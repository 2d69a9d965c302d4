{% macro totals_disagree(left, right, key, counts=[], amounts=[], tolerance=0.01) %}
    {#- Where two per-key totals, joined by a full outer join on key, fail to
        reconcile: a key on one side only, a count that differs, or an amount
        that differs by more than the tolerance. -#}
    {{ left }}.{{ key }} is null
    or {{ right }}.{{ key }} is null
    {%- for column in counts %}
    or {{ left }}.{{ column }} != {{ right }}.{{ column }}
    {%- endfor %}
    {%- for column in amounts %}
    or abs({{ left }}.{{ column }} - {{ right }}.{{ column }}) > {{ tolerance }}
    {%- endfor %}
{%- endmacro %}
