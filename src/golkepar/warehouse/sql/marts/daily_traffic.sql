with hits as (
    select * from hits
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
    from hits
    group by site, local_date
),

daily_visits as (
    select
        site,
        local_date,
        count(*) as visits,
        count(*) filter (where visitor_class = 'human') as human_visits
    from visits
    group by site, local_date
)

select
    h.site,
    h.local_date,
    h.hits,
    h.pageviews,
    h.visitors,
    coalesce(v.visits, 0) as visits,
    h.bytes,
    h.bot_hits,
    h.attacker_hits,
    h.status_4xx,
    h.status_5xx,
    h.human_hits,
    h.human_pageviews,
    coalesce(v.human_visits, 0) as human_visits
from daily_hits as h
left join daily_visits as v on h.site = v.site and h.local_date = v.local_date
order by h.site, h.local_date
