-- The most viewed pages of each visitor class, with their visitors and, for the visits that
-- entered on them, the share that left at once.
with page_views as (
    select visitor_class, path, visitor_key
    from hits
    where is_page
        and local_date between $since and $until
        and ($site is null or site = $site)
        and list_contains($classes, visitor_class)
),
per_page as (
    select visitor_class, path, count(*) as views
    from page_views
    group by visitor_class, path
    qualify row_number() over (partition by visitor_class order by views desc, path) <= $top
),
-- Distinct visitors of the top pages only: counting them for every page costs seconds.
page_visitors as (
    select page_views.visitor_class, page_views.path, count(distinct visitor_key) as visitors
    from page_views
    semi join per_page using (visitor_class, path)
    group by all
),
entries as (
    select visitor_class, entry_path as path, avg(is_bounce::integer) as bounce_rate
    from visits
    where local_date between $since and $until and ($site is null or site = $site)
    group by all
),
final as (
    select per_page.visitor_class, per_page.path, views, page_visitors.visitors, entries.bounce_rate
    from per_page
    join page_visitors using (visitor_class, path)
    left join entries using (visitor_class, path)
)
select * from final order by visitor_class, views desc, path
