with hits as (
    select * from hits
),

classes as (
    select * from int_visitor_classes
),

events as (
    select site, visitor_key, count(*) as security_events
    from security_events
    group by site, visitor_key
),

-- Every hit of a visitor has the same address and User-Agent, so any hit tells them and their
-- place, browser and network.
visitors as (
    select
        site,
        visitor_key,
        any_value(ip) as ip,
        any_value(user_agent) as user_agent,
        any_value(bot_name) as bot_name,
        any_value(browser) as browser,
        any_value(os) as os,
        any_value(device) as device,
        any_value(country_code) as country_code,
        any_value(asn) as asn,
        any_value(as_org) as as_org,
        min(ts) as first_seen,
        max(ts) as last_seen,
        count(*) as hits,
        count(*) filter (where is_page) as pageviews,
        count(*) filter (where is_asset) as asset_hits,
        count(distinct visit_id) as visits,
        coalesce(sum(bytes), 0)::bigint as bytes
    from hits
    group by site, visitor_key
)

select
    v.site,
    v.visitor_key,
    v.ip,
    v.user_agent,
    coalesce(c.visitor_class, 'unknown') as visitor_class,
    c.class_reason,
    coalesce(v.bot_name, case when c.verified_bot then c.claimed_bot end) as bot_name,
    c.verified_bot,
    v.browser,
    v.os,
    v.device,
    v.country_code,
    v.asn,
    v.as_org,
    v.first_seen,
    v.last_seen,
    v.hits,
    v.pageviews,
    v.asset_hits,
    v.visits,
    coalesce(e.security_events, 0) as security_events,
    v.bytes
from visitors as v
left join classes as c on v.site = c.site and v.visitor_key = c.visitor_key
left join events as e on v.site = e.site and v.visitor_key = e.visitor_key
order by v.site, v.first_seen
