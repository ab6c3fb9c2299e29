-- One row per day of the period, days without traffic included (a gap is a zero, not a jump).
with days as (
    select day::date as local_date
    from generate_series($since::timestamp, $until::timestamp, interval 1 day) as t(day)
),
traffic as (
    select
        local_date,
        sum(human_hits) as human_hits,
        sum(bot_hits) as bot_hits,
        sum(attacker_hits) as attacker_hits,
        sum(hits - human_hits - bot_hits - attacker_hits) as other_hits,
        sum(human_visits) as human_visits,
        sum(human_pageviews) as human_pageviews,
        sum(status_4xx) as status_4xx,
        sum(status_5xx) as status_5xx,
        sum(bytes) as bytes
    from daily_traffic
    where local_date between $since and $until and ($site is null or site = $site)
    group by local_date
),
final as (
    select
        days.local_date,
        coalesce(human_hits, 0)::bigint as human_hits,
        coalesce(bot_hits, 0)::bigint as bot_hits,
        coalesce(attacker_hits, 0)::bigint as attacker_hits,
        coalesce(other_hits, 0)::bigint as other_hits,
        coalesce(human_visits, 0)::bigint as human_visits,
        coalesce(human_pageviews, 0)::bigint as human_pageviews,
        coalesce(status_4xx, 0)::bigint as status_4xx,
        coalesce(status_5xx, 0)::bigint as status_5xx,
        coalesce(bytes, 0)::bigint as bytes
    from days left join traffic using (local_date)
    order by days.local_date
)
select * from final
