-- incremental: per visitor
with classified_hits as (
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
hits_by_visitor as (
    select
        site,
        visitor_key,
        any_value(ip) as ip,
        any_value(user_agent) as user_agent,
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
    from classified_hits
    group by site, visitor_key
),

final as (
    select
        hits_by_visitor.site,
        hits_by_visitor.visitor_key,
        hits_by_visitor.ip,
        hits_by_visitor.user_agent,
        coalesce(classes.visitor_class, 'unknown') as visitor_class,
        classes.class_reason,
        classes.bot_name,
        classes.bot_category,
        classes.verified_bot,
        hits_by_visitor.browser,
        hits_by_visitor.os,
        hits_by_visitor.device,
        hits_by_visitor.country_code,
        hits_by_visitor.asn,
        hits_by_visitor.as_org,
        hits_by_visitor.first_seen,
        hits_by_visitor.last_seen,
        hits_by_visitor.hits,
        hits_by_visitor.pageviews,
        hits_by_visitor.asset_hits,
        hits_by_visitor.visits,
        coalesce(events.security_events, 0) as security_events,
        hits_by_visitor.bytes
    from hits_by_visitor
    left join classes
        on hits_by_visitor.site = classes.site and hits_by_visitor.visitor_key = classes.visitor_key
    left join events
        on hits_by_visitor.site = events.site and hits_by_visitor.visitor_key = events.visitor_key
    order by hits_by_visitor.site, hits_by_visitor.first_seen
)

select * from final
