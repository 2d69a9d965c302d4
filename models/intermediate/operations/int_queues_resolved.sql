{# The queue catalog in force: the user's, from the landing folder's queues/ files,
   when there is one; else the project's seed (the demo's queues). Never a mix: a
   user's catalog replaces the demo's, so no demo queue appears in their marts. The
   load step checks contacts against the same catalog (python/opsmart/ingest). A queue
   without its own time zone is in the center's (var reporting_timezone). #}
{# The catalog's columns, in one order for both sources: their union is by position. #}
{%- set catalog_columns = [
    'queue_id', 'team_id', 'queue_name', 'channel', 'timezone',
    'sl_threshold_seconds', 'sl_target_rate', 'asa_target_seconds',
    'abandonment_target_rate',
] -%}
with

landed as (

    select {{ catalog_columns | join(', ') }}

    from {{ ref('stg_telephony__queues') }}

),

seeded as (

    select {{ catalog_columns | join(', ') }}

    from {{ ref('queues') }}
    where not exists (select 1 from landed)

),

catalog as (

    select * from landed
    union all
    select * from seeded

),

final as (

    select
        queue_id,
        team_id,
        queue_name,
        channel,
        {{ queue_timezone('timezone') }} as timezone,
        sl_threshold_seconds,
        sl_target_rate,
        asa_target_seconds,
        abandonment_target_rate

    from catalog

)

select * from final
