-- Sites whose hours do not add up to their hits and visits.
with hour_totals as (
    select site, sum(hits) as hits, sum(visits_started) as visits
    from traffic_by_hour
    group by site
),

hit_totals as (
    select site, count(*) as hits
    from hits
    group by site
),

visit_totals as (
    select site, count(*) as visits
    from visits
    group by site
),

final as (
    select
        hit_totals.site,
        hit_totals.hits,
        hour_totals.hits as hour_hits,
        visit_totals.visits,
        hour_totals.visits as hour_visits
    from hit_totals
    full join hour_totals on hit_totals.site = hour_totals.site
    full join visit_totals on hit_totals.site = visit_totals.site
    where
        hour_totals.hits is distinct from hit_totals.hits
        or hour_totals.visits is distinct from coalesce(visit_totals.visits, 0)
)

select * from final
