with

source as (

    select * from {{ source('survey', 'survey_responses') }}

),

renamed as (

    select
        ----------  ids
        cast(response_id as string) as response_id,
        cast(contact_id as string) as contact_id,
        cast(customer_id as string) as customer_id,

        ----------  strings
        lower(cast(survey_type as string)) as survey_type,
        nullif(trim(cast(comment as string)), '') as comment,
        _source_file as source_file,

        ----------  numerics
        cast(score as double) as score,
        cast(scale_min as double) as scale_min,
        cast(scale_max as double) as scale_max,

        ----------  timestamps
        {# as raw holds it (TIMESTAMPTZ; as_instant is a no-op on it): the run
           window's pre-filter (macro in_run_window) compares it where it is
           stored #}
        {{ as_instant('responded_at') }} as responded_at_instant,
        {{ to_utc('responded_at') }} as responded_at

    from source

)

select * from renamed
