-- Visitors and visits per country and visitor class (a visitor is counted in the country of
-- its visits' first hit).
with period_visits as (
    select visitor_class, coalesce(country_code, '') as country_code, visitor_key
    from visits
    where local_date between $since and $until
        and ($site is null or site = $site)
        and list_contains($classes, visitor_class)
),
final as (
    select
        visitor_class,
        country_code,
        count(distinct visitor_key) as visitors,
        count(*) as visits
    from period_visits
    group by all
)
select * from final order by visitor_class, visitors desc, visits desc, country_code
