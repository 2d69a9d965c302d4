{# A fitted estimate shrunk toward a fallback by precision weighting, the prior's
   variance estimated from the distance between the two (positive-part
   James-Stein for one coordinate; Efron & Morris 1973, Morris 1983):
   target + (1 - B) (estimate - target), B = min(1, se^2 / (estimate - target)^2).
   A fit within one standard error of the fallback cannot tell them apart and
   gives the fallback (B = 1); a fit far from it, relative to its standard
   error, is kept almost as is. The result is never more than one standard
   error from the estimate, so it stays inside the estimate's own interval
   (any z >= 1). A null estimate gives null (coalesce to the fallback outside);
   a null standard error counts as no precision at all (B = 1). #}
{% macro shrunk_toward(estimate, std_error, target) -%}
    {%- set distance = '(' ~ estimate ~ ' - ' ~ target ~ ')' -%}
    ({{ target }} + {{ distance }} * (1.0 - coalesce(least(1.0, {{ safe_divide(
        '(' ~ std_error ~ ') * (' ~ std_error ~ ')',
        distance ~ ' * ' ~ distance
    ) }}), 1.0)))
{%- endmacro %}
