{# The rows of a snapshot source at their latest version: a later row for the same
   `key` is a newer version of it (opsmart's load step keeps every version, in load
   order). A query for the `source` CTE of a staging model. #}
{% macro latest_versions(relation, key) -%}
    select * from (
        select
            *,
            row_number() over (
                partition by {{ key | join(', ') }}
                order by _load_id desc, _source_file desc, _source_row desc
            ) as version_rank
        from {{ relation }}
    ) as versions
    where version_rank = 1
{%- endmacro %}
