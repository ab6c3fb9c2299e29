-- Days whose hours do not add up to their hits and visits.
with hour_totals as (
    select site, local_date, sum(hits) as hits, sum(visits_started) as visits
    from traffic_by_hour
    group by site, local_date
),

hit_totals as (
    select site, local_date, count(*) as hits
    from hits
    group by site, local_date
),

visit_totals as (
    select site, local_date, count(*) as visits
    from visits
    group by site, local_date
),

days as (
    select
        coalesce(hit_totals.site, hour_totals.site) as site,
        coalesce(hit_totals.local_date, hour_totals.local_date) as local_date,
        hit_totals.hits,
        hour_totals.hits as hour_hits,
        hour_totals.visits as hour_visits
    from hit_totals
    full join hour_totals
        on hit_totals.site = hour_totals.site and hit_totals.local_date = hour_totals.local_date
),

final as (
    select days.*, visit_totals.visits
    from days
    left join visit_totals
        on days.site = visit_totals.site and days.local_date = visit_totals.local_date
    where
        days.hour_hits is distinct from days.hits
        or days.hour_visits is distinct from coalesce(visit_totals.visits, 0)
)

select * from final
