-- The headline figures of one period: the audience (human visits and visitors), the load
-- (hits and bytes of every class) and the shares of bots and attackers.
with human_visits as (
    select visitor_key, duration_s, is_bounce
    from visits
    where visitor_class = 'human'
        and local_date between $since and $until
        and ($site is null or site = $site)
),
audience as (
    select
        count(distinct visitor_key) as visitors,
        count(*) as visits,
        avg(is_bounce::integer) as bounce_rate,
        avg(duration_s) as average_duration_s
    from human_visits
),
traffic as (
    select
        coalesce(sum(hits), 0)::bigint as hits,
        coalesce(sum(human_pageviews), 0)::bigint as pageviews,
        coalesce(sum(bytes), 0)::bigint as bytes,
        coalesce(sum(bot_hits), 0)::bigint as bot_hits,
        coalesce(sum(attacker_hits), 0)::bigint as attacker_hits
    from daily_traffic
    where local_date between $since and $until and ($site is null or site = $site)
),
final as (
    select
        audience.visitors,
        audience.visits,
        traffic.pageviews,
        audience.bounce_rate,
        audience.average_duration_s,
        traffic.bytes,
        traffic.hits,
        traffic.bot_hits / nullif(traffic.hits, 0) as bot_share,
        traffic.attacker_hits / nullif(traffic.hits, 0) as attacker_share
    from audience, traffic
)
select * from final
