-- incremental: per day
with classified_hits as (
    select * from hits
),

sessions as (
    select * from visits
),

daily_hits as (
    select
        site,
        local_date,
        count(*) as hits,
        count(*) filter (where is_page) as pageviews,
        count(distinct visitor_key) filter (where visitor_class = 'human') as visitors,
        coalesce(sum(bytes), 0)::bigint as bytes,
        count(*) filter (where visitor_class = 'bot') as bot_hits,
        count(*) filter (where visitor_class = 'attacker') as attacker_hits,
        count(*) filter (where status between 400 and 499) as status_4xx,
        count(*) filter (where status between 500 and 599) as status_5xx,
        count(*) filter (where visitor_class = 'human') as human_hits,
        count(*) filter (where visitor_class = 'human' and is_page) as human_pageviews
    from classified_hits
    group by site, local_date
),

daily_visits as (
    select
        site,
        local_date,
        count(*) as visits,
        count(*) filter (where visitor_class = 'human') as human_visits
    from sessions
    group by site, local_date
),

final as (
    select
        daily_hits.site,
        daily_hits.local_date,
        daily_hits.hits,
        daily_hits.pageviews,
        daily_hits.visitors,
        coalesce(daily_visits.visits, 0) as visits,
        daily_hits.bytes,
        daily_hits.bot_hits,
        daily_hits.attacker_hits,
        daily_hits.status_4xx,
        daily_hits.status_5xx,
        daily_hits.human_hits,
        daily_hits.human_pageviews,
        coalesce(daily_visits.human_visits, 0) as human_visits
    from daily_hits
    left join daily_visits
        on daily_hits.site = daily_visits.site and daily_hits.local_date = daily_visits.local_date
    order by daily_hits.site, daily_hits.local_date
)

select * from final
