-- The days the warehouse holds, for the chosen site (all sites when $site is null).
with days as (
    select local_date from daily_traffic where $site is null or site = $site
),
final as (
    select min(local_date) as first_day, max(local_date) as last_day from days
)
select * from final
