-- The class of each visitor (site, visitor_key), by the first rule that applies, in this order:
-- attacker > admin > bot > human > unknown, and the bot it is (name and category) when it is
-- one. Documented in docs/warehouse.md. An incremental build reads a returning visitor's hits
-- from their last visit on; what came before is in `visitor_history` (counts, and flags that any
-- hit sets), added in here so that the class is the one their whole history gives.
with staged_hits as (
    select * from stg_hits
),

earlier as (
    select * from visitor_history
),

claims as (
    select * from search_bot_claims
),

bot_words as (
    select lower(word) as word, bot_name, bot_category from known_bot_source
),

recent_attacks as (
    select site, visitor_key, count(*) as security_events, list(distinct kind) as kinds
    from security_events
    group by site, visitor_key
),

attacks as (
    select
        coalesce(recent_attacks.site, earlier.site) as site,
        coalesce(recent_attacks.visitor_key, earlier.visitor_key) as visitor_key,
        coalesce(recent_attacks.security_events, 0) + coalesce(earlier.security_events, 0)
            as security_events,
        array_to_string(
            list_sort(list_distinct(
                coalesce(recent_attacks.kinds, []) || coalesce(earlier.security_kinds, [])
            )),
            ', '
        ) as kinds
    from recent_attacks
    full join (select * from earlier where security_events > 0) as earlier
        on recent_attacks.site = earlier.site and recent_attacks.visitor_key = earlier.visitor_key
),

hit_evidence as (
    select
        *,
        admin_evidence(
            remote_user,
            method,
            path,
            query,
            status,
            is_asset,
            $admin_area,
            $admin_area_public,
            $wp_login_path
        ) as evidence
    from staged_hits
),

-- Counts rather than flags: an incremental build takes a replaced visit's hits out of them.
recent_behaviour as (
    select
        site,
        visitor_key,
        count(*) filter (where is_page) as pageviews,
        count(*) filter (where is_asset) as asset_hits,
        count(*) filter (where evidence.authenticated) as authenticated_hits,
        count(*) filter (where evidence.admin_area) as admin_area_hits,
        count(*) filter (where evidence.logged_in) as login_hits,
        count(*) filter (where path = '/robots.txt') as robots_hits,
        bool_or(is_bot) as crawler_agent,
        -- Every hit of a visitor has the same User-Agent, so any hit tells it, its crawler name
        -- and its browser.
        any_value(user_agent) as user_agent,
        any_value(bot_name) as crawler_name,
        bool_or(browser is not null and browser <> 'Other' and device is distinct from 'bot')
            as browser_agent
    from hit_evidence
    group by site, visitor_key
),

-- Minutes in which a visitor viewed more pages than anyone reads; a visitor with enough of
-- them is a program, whatever its User-Agent and however many assets it loads. Minutes are
-- counted on whole epoch minutes: cheaper than a sliding window, and a steady pace fills them.
fast_minutes as (
    select site, visitor_key, epoch(ts)::bigint // 60 as minute
    from staged_hits
    where is_page
    group by site, visitor_key, minute
    having count(*) >= $bot_pages_per_minute
),

recent_fast_minutes as (
    select site, visitor_key, count(*) as fast_minutes
    from fast_minutes
    group by site, visitor_key
),

-- What came before the recomputed part adds up with it.
behaviour as (
    select
        recent_behaviour.* replace (
            recent_behaviour.pageviews + coalesce(earlier.pageviews, 0) as pageviews,
            recent_behaviour.asset_hits + coalesce(earlier.asset_hits, 0) as asset_hits,
            recent_behaviour.authenticated_hits + coalesce(earlier.authenticated_hits, 0)
                as authenticated_hits,
            recent_behaviour.admin_area_hits + coalesce(earlier.admin_area_hits, 0)
                as admin_area_hits,
            recent_behaviour.login_hits + coalesce(earlier.login_hits, 0) as login_hits,
            recent_behaviour.robots_hits + coalesce(earlier.robots_hits, 0) as robots_hits
        ),
        coalesce(recent_fast_minutes.fast_minutes, 0) + coalesce(earlier.fast_minutes, 0)
            as fast_minutes
    from recent_behaviour
    left join earlier
        on recent_behaviour.site = earlier.site
        and recent_behaviour.visitor_key = earlier.visitor_key
    left join recent_fast_minutes
        on recent_behaviour.site = recent_fast_minutes.site
        and recent_behaviour.visitor_key = recent_fast_minutes.visitor_key
),

-- The leftmost word of the bot list in each User-Agent names the bot.
named as (
    select
        behaviour.*,
        bot_words.bot_name as known_name,
        bot_words.bot_category as known_category
    from behaviour
    left join bot_words
        on lower(regexp_extract(behaviour.user_agent, $known_bot_words, 0)) = bot_words.word
),

classified as (
    select
        named.site,
        named.visitor_key,
        case
            when attacks.security_events > 0 then 'attacker'
            when named.authenticated_hits > 0 or named.admin_area_hits > 0 or named.login_hits > 0 then 'admin'
            when
                named.known_name is not null
                or named.crawler_agent
                or claims.verified
                or named.robots_hits > 0
                or named.fast_minutes >= $bot_fast_minutes
                or (named.pageviews >= $bot_min_pages_without_assets and named.asset_hits = 0)
                then 'bot'
            when named.browser_agent and named.asset_hits > 0 then 'human'
            else 'unknown'
        end as visitor_class,
        case
            when attacks.security_events > 0 then concat('security events: ', attacks.kinds)
            when named.authenticated_hits > 0 then 'authenticated remote user'
            when named.admin_area_hits > 0 then 'successful requests to the admin area'
            when named.login_hits > 0 then 'successful WordPress login'
            when named.known_name is not null
                then concat(named.known_category, ' bot User-Agent (', named.known_name, ')')
            when named.crawler_agent then 'crawler User-Agent'
            when claims.verified then concat('verified ', claims.claimed_bot, ' address')
            when named.robots_hits > 0 then 'read robots.txt'
            when named.fast_minutes >= $bot_fast_minutes then 'pages faster than a person reads'
            when named.pageviews >= $bot_min_pages_without_assets and named.asset_hits = 0
                then 'many pages and never an asset'
            when named.browser_agent and named.asset_hits > 0 then 'browser that loads assets'
            when named.browser_agent then 'browser that loaded no asset'
            else 'no browser User-Agent'
        end as class_reason,
        coalesce(
            named.known_name,
            named.crawler_name,
            case when claims.verified then claims.claimed_bot end
        ) as bot_name,
        named.known_category,
        claims.claimed_bot,
        claims.verified as verified_bot,
        named.authenticated_hits,
        named.admin_area_hits,
        named.login_hits,
        named.robots_hits,
        named.fast_minutes
    from named
    left join attacks
        on named.site = attacks.site and named.visitor_key = attacks.visitor_key
    left join claims
        on named.site = claims.site and named.visitor_key = claims.visitor_key
),

final as (
    select
        site,
        visitor_key,
        visitor_class,
        class_reason,
        bot_name,
        -- A bot the list does not name (a crawler it lacks, or one found by behaviour): `other`.
        case when visitor_class = 'bot' then coalesce(known_category, 'other') end as bot_category,
        claimed_bot,
        verified_bot,
        authenticated_hits,
        admin_area_hits,
        login_hits,
        robots_hits,
        fast_minutes
    from classified
)

select * from final
