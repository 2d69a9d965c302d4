with

effects as (

    select * from {{ ref('int_churn_wait_effects_fitted') }}

),

final as (

    select
        {# Typed here: an empty fit (no customers) comes back with untyped columns. #}
        cast(term as string) as term,
        cast(estimate as double) as estimate,
        cast(std_error as double) as std_error,
        cast(ci_lower as double) as ci_lower,
        cast(ci_upper as double) as ci_upper,
        cast(is_constrained as boolean) as is_constrained,
        cast(customer_windows as integer) as customer_windows,
        cast(churned_customer_windows as integer) as churned_customer_windows,
        cast(churn_per_wait_second_rate as double) as churn_per_wait_second_rate,
        {{ amount_with_range(
            'price_per_wait_second', scale=6, with_std_error=true
        ) }},
        {{ amount_with_range(
            'price_per_unresolved_contact', scale=4, with_std_error=true
        ) }},
        cast(is_converged as boolean) as is_converged

    from effects

)

select * from final
