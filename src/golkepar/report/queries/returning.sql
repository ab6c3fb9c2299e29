-- New and returning visits per visitor class: a returning visit's visitor had visited before.
with period_visits as (
    select visitor_class, is_returning
    from visits
    where local_date between $since and $until
        and ($site is null or site = $site)
        and list_contains($classes, visitor_class)
),
final as (
    select
        visitor_class,
        count(*) filter (where not is_returning) as new_visits,
        count(*) filter (where is_returning) as returning_visits
    from period_visits
    group by visitor_class
)
select * from final order by visitor_class
