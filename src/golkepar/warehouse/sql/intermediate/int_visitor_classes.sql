-- The class of each visitor (site, visitor_key), by the first rule that applies, in this order:
-- attacker > admin > bot > human > unknown. Documented in docs/warehouse.md.
with staged_hits as (
    select * from stg_hits
),

claims as (
    select * from search_bot_claims
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
    from staged_hits
    group by site, visitor_key
),

final as (
    select
        behaviour.site,
        behaviour.visitor_key,
        case
            when attacks.security_events > 0 then 'attacker'
            when behaviour.authenticated or behaviour.used_admin_area or behaviour.logged_in then 'admin'
            when
                behaviour.crawler_agent
                or claims.verified
                or behaviour.read_robots
                or (behaviour.pageviews >= $bot_min_pages_without_assets and behaviour.asset_hits = 0)
                then 'bot'
            when behaviour.browser_agent and behaviour.asset_hits > 0 then 'human'
            else 'unknown'
        end as visitor_class,
        case
            when attacks.security_events > 0 then concat('security events: ', attacks.kinds)
            when behaviour.authenticated then 'authenticated remote user'
            when behaviour.used_admin_area then 'successful requests to the admin area'
            when behaviour.logged_in then 'successful WordPress login'
            when behaviour.crawler_agent then 'crawler User-Agent'
            when claims.verified then concat('verified ', claims.claimed_bot, ' address')
            when behaviour.read_robots then 'read robots.txt'
            when behaviour.pageviews >= $bot_min_pages_without_assets and behaviour.asset_hits = 0
                then 'many pages and never an asset'
            when behaviour.browser_agent and behaviour.asset_hits > 0 then 'browser that loads assets'
            when behaviour.browser_agent then 'browser that loaded no asset'
            else 'no browser User-Agent'
        end as class_reason,
        claims.claimed_bot,
        claims.verified as verified_bot
    from behaviour
    left join attacks
        on behaviour.site = attacks.site and behaviour.visitor_key = attacks.visitor_key
    left join claims
        on behaviour.site = claims.site and behaviour.visitor_key = claims.visitor_key
)

select * from final
