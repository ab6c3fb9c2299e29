-- Visitors per device, browser and operating system, per visitor class: `dimension` says which.
with active as (
    select distinct site, visitor_key
    from visits
    where local_date between $since and $until and ($site is null or site = $site)
),
period_visitors as (
    select visitors.visitor_class, visitors.device, visitors.browser, visitors.os
    from visitors join active using (site, visitor_key)
    where list_contains($classes, visitors.visitor_class)
),
unpivoted as (
    select visitor_class, 'device' as dimension, coalesce(device, 'other') as value
    from period_visitors
    union all
    select visitor_class, 'browser', coalesce(browser, 'Other') from period_visitors
    union all
    select visitor_class, 'os', coalesce(os, 'Other') from period_visitors
),
final as (
    select dimension, visitor_class, value, count(*) as visitors
    from unpivoted
    group by dimension, visitor_class, value
    qualify row_number() over (partition by dimension, visitor_class order by visitors desc, value) <= $top
)
select * from final order by dimension, visitor_class, visitors desc, value
