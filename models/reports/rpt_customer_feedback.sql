{# One row per survey comment x matched theme, routed to the theme's owning department
   (seed 002: share customer feedback with every department). The comments arrive
   masked (fct_survey_responses.masked_comment, macro mask_pii), and themes are
   matched on the masked text. A comment no keyword matches gets one row with theme
   `unthemed`, so every comment appears at least once. #}
{# Incremental by day: a comment's rows depend on that answer (and its contact's
   reason) alone, so `opsmart run` rewrites the answers responded in the run window
   and keeps the earlier ones (macro in_run_window, docs/nightly.md); a full build
   writes every answer. Keyed on the answer: all its theme rows are replaced. #}
{{ incremental_by_date('responded_date', unique_key='response_id') }}
with

responses as (

    select
        response_id,
        contact_id,
        survey_type,
        queue_id,
        channel,
        score,
        scale_min,
        scale_max,
        nps_category,
        is_top2box,
        masked_comment,
        responded_date,
        responded_at

    from {{ ref('fct_survey_responses') }}
    where
        nullif(trim(masked_comment), '') is not null
        and {{ in_run_window('responded_date') }}

),

contacts as (

    select
        contact_id,
        contact_reason

    from {{ ref('fct_contacts') }}

),

themes as (

    select
        keyword,
        theme,
        owning_department

    from {{ ref('feedback_themes') }}

),

comments as (

    select
        responses.*,
        contacts.contact_reason

    from responses
    left join contacts
        on responses.contact_id = contacts.contact_id

),

{# Normalised once per comment: the keyword join below compares every comment with
   every keyword, so anything computed inside its condition runs for each pair. #}
normalized_comments as (

    select
        response_id,
        masked_comment,
        {{ normalize_text('masked_comment') }} as normalized_comment

    from comments

),

{# A keyword can only match if it is a substring of the normalised comment: this
   cheap join leaves the regular expression a few candidates instead of every
   comment x keyword pair. #}
keyword_candidates as (

    select * from (
        select
            normalized_comments.response_id,
            normalized_comments.masked_comment,
            normalized_comments.normalized_comment,
            themes.keyword,
            themes.theme,
            themes.owning_department,
            {{ dbt.position(
                'themes.keyword', 'normalized_comments.normalized_comment'
            ) }} as keyword_at

        from normalized_comments
        cross join themes
    )
    where keyword_at > 0

),

keyword_matches as (

    select
        response_id,
        masked_comment,
        keyword,
        theme,
        owning_department

    from keyword_candidates
    {# The regular expression (built per keyword, so compiled per row) decides only
       when the keyword's first occurrence is not already a whole word: the same
       answer, a fraction of the cost. #}
    where
        case
            when
                (
                    keyword_at = 1
                    or not {{ is_word_character(
                        'substr(normalized_comment, keyword_at - 1, 1)'
                    ) }}
                )
                and not {{ is_word_character(
                    'substr(normalized_comment, keyword_at + length(keyword), 1)'
                ) }}
                then true
            else {{ matches_keyword('masked_comment', 'keyword') }}
        end

),

response_themes as (

    select
        response_id,
        theme,
        owning_department,
        {{ dbt.listagg('keyword', "', '", 'order by keyword') }} as matched_keywords

    from keyword_matches
    group by response_id, theme, owning_department

),

final as (

    select
        comments.response_id,
        coalesce(response_themes.theme, 'unthemed') as theme,
        coalesce(
            response_themes.owning_department,
            '{{ var("feedback_unthemed_department") }}'
        ) as owning_department,
        response_themes.matched_keywords,
        comments.masked_comment,
        comments.survey_type,
        comments.score,
        comments.scale_min,
        comments.scale_max,
        comments.nps_category,
        comments.is_top2box,
        comments.contact_id,
        comments.queue_id,
        comments.channel,
        comments.contact_reason,
        comments.responded_date,
        comments.responded_at

    from comments
    left join response_themes
        on comments.response_id = response_themes.response_id

)

select * from final
