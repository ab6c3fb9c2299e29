-- The class of each visitor (site, visitor_key), by the first rule that applies, in this order:
-- attacker > admin > bot > human > unknown. Documented in docs/warehouse.md.
with hits as (
    select * from stg_hits
),

attacks as (
    select
        site,
        visitor_key,
        count(*) as security_events,
        string_agg(distinct kind, ', ' order by kind) as kinds
    from security_events
    group by site, visitor_key
),

behaviour as (
    select
        site,
        visitor_key,
        count(*) filter (where is_page) as pageviews,
        count(*) filter (where is_asset) as asset_hits,
        bool_or(remote_user is not null and status between 200 and 399) as authenticated,
        bool_or(
            status between 200 and 299
            and not is_asset
            and regexp_matches(path, $admin_area)
            and not regexp_matches(path, $admin_area_public)
        ) as used_admin_area,
        -- WordPress answers a successful login with a redirect, a failed one with the form again.
        bool_or(
            method = 'POST' and status = 302 and query is null and regexp_matches(path, $wp_login_path)
        ) as logged_in,
        bool_or(is_bot) as crawler_agent,
        bool_or(path = '/robots.txt') as read_robots,
        -- Every hit of a visitor has the same User-Agent, so any hit tells its browser.
        bool_or(browser is not null and browser <> 'Other' and device is distinct from 'bot')
            as browser_agent
    from hits
    group by site, visitor_key
)

select
    b.site,
    b.visitor_key,
    case
        when a.security_events > 0 then 'attacker'
        when b.authenticated or b.used_admin_area or b.logged_in then 'admin'
        when
            b.crawler_agent
            or c.verified
            or b.read_robots
            or (b.pageviews >= $bot_min_pages_without_assets and b.asset_hits = 0)
            then 'bot'
        when b.browser_agent and b.asset_hits > 0 then 'human'
        else 'unknown'
    end as visitor_class,
    case
        when a.security_events > 0 then concat('security events: ', a.kinds)
        when b.authenticated then 'authenticated remote user'
        when b.used_admin_area then 'successful requests to the admin area'
        when b.logged_in then 'successful WordPress login'
        when b.crawler_agent then 'crawler User-Agent'
        when c.verified then concat('verified ', c.claimed_bot, ' address')
        when b.read_robots then 'read robots.txt'
        when b.pageviews >= $bot_min_pages_without_assets and b.asset_hits = 0
            then 'many pages and never an asset'
        when b.browser_agent and b.asset_hits > 0 then 'browser that loads assets'
        when b.browser_agent then 'browser that loaded no asset'
        else 'no browser User-Agent'
    end as class_reason,
    c.claimed_bot,
    c.verified as verified_bot
from behaviour as b
left join attacks as a on b.site = a.site and b.visitor_key = a.visitor_key
left join search_bot_claims as c on b.site = c.site and b.visitor_key = c.visitor_key
