{#- Counts of contacts by what happened to them, each defined once: the interval
    roll-up, the OKR scorecard and the agent report count the same contacts the
    same way. `names` picks the counts, in the caller's column order; each is an
    aggregate column contacts_<name> over the contact columns of
    int_contacts_classified (fct_contacts has the same names). -#}
{% macro contact_counts(names) -%}
    {%- set conditions = {
        'offered': 'is_offered',
        'answered': 'is_answered',
        'abandoned': 'is_abandoned',
        'flowed_out': "outcome = 'flowout'",
        'contained': "outcome = 'contained'",
        'answered_within_threshold': 'is_answered_within_threshold',
        'abandoned_within_threshold': 'is_abandoned_within_threshold',
        'short_abandoned': 'is_short_abandon',
        'answered_after_waiting': 'is_answered and wait_seconds > 0',
        'transferred': 'is_answered and is_transferred',
        'resolved': 'is_answered and is_resolved',
        'fcr_known': 'is_first_contact_resolved is not null',
        'first_contact_resolved': 'is_first_contact_resolved',
    } -%}
    {%- for name in names %}
        {%- if name not in conditions -%}
            {{ exceptions.raise_compiler_error(
                "contact_counts: no count named " ~ name
            ) }}
        {%- endif %}
        count(*) filter (where {{ conditions[name] }}) as contacts_{{ name }}
        {%- if not loop.last %},{% endif %}
    {%- endfor %}
{%- endmacro %}
