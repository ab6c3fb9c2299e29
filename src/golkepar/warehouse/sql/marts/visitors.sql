-- incremental: per visitor
-- An incremental build recomputes a returning visitor from their last visit on: their history
-- before it (`visitor_history`) is added in.
with classified_hits as (
    select * from hits
),

earlier as (
    select * from visitor_history
),

classes as (
    select * from int_visitor_classes
),

events as (
    select site, visitor_key, count(*) as security_events
    from security_events
    group by site, visitor_key
),

-- Visits are counted from the visits, not as distinct ids of hits (a fifth of the work).
visit_counts as (
    select site, visitor_key, count(*) as visits
    from int_visits
    group by site, visitor_key
),

-- Every hit of a visitor has the same address and User-Agent (the visitor key is made of them);
-- their place, browser and network are the last hit's, one struct kept per visitor (an
-- incremental build reads a returning visitor's last hits, not the first).
hits_by_visitor as (
    select
        site,
        visitor_key,
        any_value(ip) as ip,
        any_value(user_agent) as user_agent,
        arg_max_null(
            {
                'browser': browser,
                'os': os,
                'device': device,
                'country_code': country_code,
                'asn': asn,
                'as_org': as_org
            },
            hit_order(ts, source_file, source_line)
        ) as last_hit,
        min(ts) as first_seen,
        max(ts) as last_seen,
        count(*) as hits,
        count(*) filter (where is_page) as pageviews,
        count(*) filter (where is_asset) as asset_hits,
        coalesce(sum(bytes), 0)::bigint as bytes
    from classified_hits
    group by site, visitor_key
),

whole_history as (
    select
        hits_by_visitor.* replace (
            least(hits_by_visitor.first_seen, earlier.first_seen) as first_seen,
            hits_by_visitor.hits + coalesce(earlier.hits, 0) as hits,
            hits_by_visitor.pageviews + coalesce(earlier.pageviews, 0) as pageviews,
            hits_by_visitor.asset_hits + coalesce(earlier.asset_hits, 0) as asset_hits,
            hits_by_visitor.bytes + coalesce(earlier.bytes, 0) as bytes
        ),
        visit_counts.visits + coalesce(earlier.visits_before, 0) as visits,
        coalesce(earlier.security_events, 0) as earlier_security_events
    from hits_by_visitor
    inner join visit_counts
        on hits_by_visitor.site = visit_counts.site
        and hits_by_visitor.visitor_key = visit_counts.visitor_key
    left join earlier
        on hits_by_visitor.site = earlier.site and hits_by_visitor.visitor_key = earlier.visitor_key
),

final as (
    select
        whole_history.site,
        whole_history.visitor_key,
        whole_history.ip,
        whole_history.user_agent,
        coalesce(classes.visitor_class, 'unknown') as visitor_class,
        classes.class_reason,
        classes.bot_name,
        classes.bot_category,
        classes.verified_bot,
        whole_history.last_hit.browser,
        whole_history.last_hit.os,
        whole_history.last_hit.device,
        whole_history.last_hit.country_code,
        whole_history.last_hit.asn,
        whole_history.last_hit.as_org,
        whole_history.first_seen,
        whole_history.last_seen,
        whole_history.hits,
        whole_history.pageviews,
        whole_history.asset_hits,
        whole_history.visits,
        coalesce(events.security_events, 0) + whole_history.earlier_security_events
            as security_events,
        whole_history.bytes,
        classes.authenticated_hits,
        classes.admin_area_hits,
        classes.login_hits,
        classes.robots_hits,
        classes.fast_minutes
    from whole_history
    left join classes
        on whole_history.site = classes.site and whole_history.visitor_key = classes.visitor_key
    left join events
        on whole_history.site = events.site and whole_history.visitor_key = events.visitor_key
    order by whole_history.site, whole_history.first_seen
)

select * from final
