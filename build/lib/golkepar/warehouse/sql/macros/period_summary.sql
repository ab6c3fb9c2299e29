-- Headline figures of a site (null: every site) from `since` to `until` (local dates, both
-- included), and the same figures for the period of equal length just before it, so the report
-- and dashboards compare periods the same way:
--     select * from period_summary('example.com', date '2026-11-01', date '2026-11-30')
create or replace macro period_summary(site, since, until) as table
with periods as (
    select
        'current' as period,
        since::date as period_start,
        until::date as period_end
    union all
    select
        'previous' as period,
        (since::date - to_days((until::date - since::date + 1)::integer))::date as period_start,
        (since::date - interval 1 day)::date as period_end
),

days as (
    select * from daily_traffic
    where site is null or daily_traffic.site = site
),

sessions as (
    select * from visits
    where visits.visitor_class = 'human' and (site is null or visits.site = site)
),

human_hits as (
    select hits.site, hits.visitor_key, hits.local_date from hits
    where hits.visitor_class = 'human' and (site is null or hits.site = site)
),

-- Distinct over the whole period: the same person on two days is one visitor.
visitor_figures as (
    select
        periods.period,
        count(distinct human_hits.site || '/' || human_hits.visitor_key) as human_visitors
    from periods
    left join human_hits
        on human_hits.local_date between periods.period_start and periods.period_end
    group by periods.period
),

day_figures as (
    select
        periods.period,
        coalesce(sum(days.hits), 0)::bigint as hits,
        coalesce(sum(days.human_pageviews), 0)::bigint as human_pageviews,
        coalesce(sum(days.bytes), 0)::bigint as bytes,
        coalesce(sum(days.bot_hits), 0)::bigint as bot_hits,
        coalesce(sum(days.attacker_hits), 0)::bigint as attacker_hits
    from periods
    left join days on days.local_date between periods.period_start and periods.period_end
    group by periods.period
),

visit_figures as (
    select
        periods.period,
        count(sessions.visit_id) as human_visits,
        avg(sessions.is_bounce::integer) as bounce_rate,
        avg(sessions.duration_s) as avg_visit_duration_s
    from periods
    left join sessions
        on sessions.local_date between periods.period_start and periods.period_end
    group by periods.period
),

final as (
    select
        periods.period,
        periods.period_start,
        periods.period_end,
        visitor_figures.human_visitors,
        visit_figures.human_visits,
        day_figures.human_pageviews,
        visit_figures.bounce_rate,
        visit_figures.avg_visit_duration_s,
        day_figures.bytes,
        day_figures.hits,
        day_figures.bot_hits / nullif(day_figures.hits, 0) as bot_hit_share,
        day_figures.attacker_hits / nullif(day_figures.hits, 0) as attacker_hit_share
    from periods
    inner join day_figures on periods.period = day_figures.period
    inner join visit_figures on periods.period = visit_figures.period
    inner join visitor_figures on periods.period = visitor_figures.period
    order by periods.period_start desc
)

select * from final
