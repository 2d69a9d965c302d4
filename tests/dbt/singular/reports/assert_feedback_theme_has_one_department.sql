{# Every feedback theme has one owning department: the report's grain (comment x
   theme) relies on it. #}
select
    theme,
    count(distinct owning_department) as departments

from {{ ref('feedback_themes') }}
group by theme
having count(distinct owning_department) > 1
