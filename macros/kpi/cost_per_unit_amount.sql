{# Staff cost per unit served (handled contact, resolved contact, customer): the
   allocated cost over the units, rounded to 4 decimals the same way wherever it is
   published, so that one unit and period shows one number in every mart and report. #}
{% macro cost_per_unit_amount(cost='allocated_staff_cost_amount', units='contacts_answered') -%}
    cast({{ safe_divide(cost, units) }} as decimal(18, 4))
{%- endmacro %}
