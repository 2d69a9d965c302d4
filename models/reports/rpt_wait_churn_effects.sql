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
        cast(price_per_wait_second_amount as decimal(18, 6))
            as price_per_wait_second_amount,
        cast(price_per_wait_second_std_error as double)
            as price_per_wait_second_std_error,
        cast(price_per_wait_second_lower_amount as decimal(18, 6))
            as price_per_wait_second_lower_amount,
        cast(price_per_wait_second_upper_amount as decimal(18, 6))
            as price_per_wait_second_upper_amount,
        cast(price_per_unresolved_contact_amount as decimal(18, 4))
            as price_per_unresolved_contact_amount,
        cast(price_per_unresolved_contact_std_error as double)
            as price_per_unresolved_contact_std_error,
        cast(price_per_unresolved_contact_lower_amount as decimal(18, 4))
            as price_per_unresolved_contact_lower_amount,
        cast(price_per_unresolved_contact_upper_amount as decimal(18, 4))
            as price_per_unresolved_contact_upper_amount,
        cast(is_converged as boolean) as is_converged

    from effects

)

select * from final
