with period_visits as (
    select visitor_class, search_engine
    from visits
    where local_date between $since and $until
        and ($site is null or site = $site)
        and list_contains($classes, visitor_class)
        and channel = 'search'
),
final as (
    select visitor_class, coalesce(search_engine, 'Other') as search_engine, count(*) as visits
    from period_visits
    group by all
)
select * from final order by visitor_class, visits desc, search_engine
