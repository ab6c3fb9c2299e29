-- incremental: per visitor from ts
-- One row per hit that matched an attack, per kind. The patterns are bound parameters, from
-- golkepar/warehouse/patterns.py. Requests are decoded and matched once per distinct
-- (path, query), then joined back to their hits.
-- Read twice: `not materialized` keeps DuckDB from copying every staged hit first.
with staged_hits as not materialized (
    select * from stg_hits
),

claims as (
    select * from search_bot_claims
),

hits_to_check as (
    select
        staged_hits.ts,
        staged_hits.site,
        staged_hits.ip,
        staged_hits.visitor_key,
        staged_hits.method,
        staged_hits.path,
        staged_hits.query,
        staged_hits.status,
        staged_hits.local_date,
        staged_hits.user_agent,
        staged_hits.as_org,
        staged_hits.source_file,
        staged_hits.source_line,
        staged_hits.request,
        staged_hits.referer
    from staged_hits
    -- A verified search engine crawls whatever links exist, attacks included: not an attacker.
    anti join (select site, visitor_key from claims where verified) as verified_bots
        on staged_hits.site = verified_bots.site
        and staged_hits.visitor_key = verified_bots.visitor_key
),

requests as (
    select distinct path, query from hits_to_check where path is not null
),

-- Percent-decoding twice catches double encoding (%252e); `+` is a space in a query string.
-- A request that does not decode to valid UTF-8 is matched as logged.
decoded_once as (
    select
        path,
        query,
        coalesce(try(url_decode(path)), path) as path_1,
        coalesce(try(url_decode(replace(query, '+', ' '))), replace(query, '+', ' ')) as query_1
    from requests
),

decoded as (
    select
        path,
        query,
        coalesce(try(url_decode(path_1)), path_1) as decoded_path,
        coalesce(try(url_decode(query_1)), query_1) as decoded_query
    from decoded_once
),

targets as (
    select
        path,
        query,
        decoded_path,
        concat(decoded_path, '?' || decoded_query) as decoded_request
    from decoded
),

request_kinds as (
    select
        path,
        query,
        decoded_request,
        unnest(list_filter([
            case when regexp_matches(decoded_path, $secret_file_probe) then 'secret_file_probe' end,
            case when regexp_matches(decoded_path, $admin_probe) then 'admin_probe' end,
            case when regexp_matches(decoded_request, $sql_injection) then 'sql_injection' end,
            case when regexp_matches(decoded_request, $path_traversal) then 'path_traversal' end,
            case when regexp_matches(decoded_request, $xss_attempt) then 'xss_attempt' end,
            case when regexp_matches(decoded_request, $log4shell) then 'log4shell' end
        ], lambda kind: kind is not null)) as kind
    from targets
),

request_events as (
    select hits_to_check.*, request_kinds.kind, request_kinds.decoded_request as detail
    from hits_to_check
    inner join request_kinds
        on hits_to_check.path = request_kinds.path
        and hits_to_check.query is not distinct from request_kinds.query
    -- An admin panel is probed when it answers "not here" (4xx), not when it asks for a login.
    where
        request_kinds.kind <> 'admin_probe'
        or (hits_to_check.status between 400 and 499 and hits_to_check.status <> 401)
),

-- Headers are matched once per distinct value, then joined back to their hits.
agents as (
    select distinct user_agent from hits_to_check where user_agent is not null
),

agent_kinds as (
    select
        user_agent,
        unnest(list_filter([
            case when regexp_matches(user_agent, $scanner_user_agent) then 'scanner_user_agent' end,
            case when regexp_matches(user_agent, $shellshock) then 'shellshock' end,
            case when regexp_matches(user_agent, $log4shell) then 'log4shell' end
        ], lambda kind: kind is not null)) as kind
    from agents
),

agent_events as (
    select
        hits_to_check.*,
        agent_kinds.kind,
        -- A scanner's name is the User-Agent itself; an exploit says where it was carried.
        case
            when agent_kinds.kind = 'scanner_user_agent' then hits_to_check.user_agent
            else concat('User-Agent: ', hits_to_check.user_agent)
        end as detail
    from hits_to_check
    inner join agent_kinds on hits_to_check.user_agent = agent_kinds.user_agent
),

referers as (
    select distinct referer from hits_to_check where referer is not null
),

-- Decoded twice like requests, so an injection in the referring page's query is seen.
referers_decoded_once as (
    select
        referer,
        coalesce(try(url_decode(replace(referer, '+', ' '))), replace(referer, '+', ' '))
            as referer_1
    from referers
),

decoded_referers as (
    select referer, coalesce(try(url_decode(referer_1)), referer_1) as decoded_referer
    from referers_decoded_once
),

referer_kinds as (
    select
        referer,
        decoded_referer,
        unnest(list_filter([
            case when regexp_matches(decoded_referer, $shellshock) then 'shellshock' end,
            case when regexp_matches(decoded_referer, $log4shell) then 'log4shell' end,
            case when regexp_matches(decoded_referer, $sql_injection) then 'sql_injection' end
        ], lambda kind: kind is not null)) as kind
    from decoded_referers
),

-- A hit is one event per kind: the request tells first, then the User-Agent, then the referer.
referer_events as (
    select
        hits_to_check.*,
        referer_kinds.kind,
        concat('Referer: ', referer_kinds.decoded_referer) as detail
    from hits_to_check
    inner join referer_kinds on hits_to_check.referer = referer_kinds.referer
    anti join request_events
        on hits_to_check.source_file = request_events.source_file
        and hits_to_check.source_line = request_events.source_line
        and referer_kinds.kind = request_events.kind
    anti join agent_events
        on hits_to_check.source_file = agent_events.source_file
        and hits_to_check.source_line = agent_events.source_line
        and referer_kinds.kind = agent_events.kind
),

-- Brute force comes from one IP whatever User-Agents it rotates through.
login_posts as (
    select
        *,
        ts - lag(ts) over (partition by site, ip order by ts, source_file, source_line) as gap
    from hits_to_check
    where method = 'POST' and regexp_matches(path, $wp_login_path)
),

login_bursts as (
    select
        *,
        sum(case when gap is null or gap > to_minutes($wp_login_burst_gap_minutes) then 1 else 0 end)
            over (partition by site, ip order by ts, source_file, source_line rows unbounded preceding)
            as burst
    from login_posts
),

login_burst_sizes as (
    select *, count(*) over (partition by site, ip, burst) as burst_size
    from login_bursts
),

login_events as (
    select
        * exclude (gap, burst, burst_size),
        'wp_login_bruteforce' as kind,
        concat('burst of ', burst_size, ' POSTs to wp-login.php') as detail
    from login_burst_sizes
    where burst_size >= $wp_login_burst_min_posts
),

xmlrpc_events as (
    select *, 'xmlrpc_abuse' as kind, 'POST to xmlrpc.php' as detail
    from hits_to_check
    where
        method = 'POST'
        and regexp_matches(path, $xmlrpc_path)
        and not regexp_matches(coalesce(as_org, ''), $xmlrpc_trusted_as_org)
),

-- Only request lines that are not METHOD TARGET PROTOCOL (ingest leaves their method null).
protocol_probe_events as (
    select *, 'protocol_probe' as kind, request as detail
    from hits_to_check
    where method is null and regexp_matches(request, $protocol_probe)
),

fake_search_bot_events as (
    select
        staged_hits.ts,
        staged_hits.site,
        staged_hits.ip,
        staged_hits.visitor_key,
        staged_hits.path,
        staged_hits.status,
        staged_hits.local_date,
        staged_hits.user_agent,
        staged_hits.source_file,
        staged_hits.source_line,
        'fake_search_bot' as kind,
        concat('claims to be ', claims.claimed_bot, ' from outside its published ranges') as detail
    from staged_hits
    inner join claims on staged_hits.site = claims.site and staged_hits.visitor_key = claims.visitor_key
    where not claims.verified
),

events as (
    select * from request_events
    union all by name
    select * from agent_events
    anti join request_events
        on agent_events.source_file = request_events.source_file
        and agent_events.source_line = request_events.source_line
        and agent_events.kind = request_events.kind
    union all by name
    select * from referer_events
    union all by name
    select * from login_events
    union all by name
    select * from xmlrpc_events
    union all by name
    select * from protocol_probe_events
    union all by name
    select * from fake_search_bot_events
),

final as (
    select
        ts,
        site,
        ip,
        visitor_key,
        kind,
        path,
        status,
        left(detail, 500) as detail,
        local_date,
        user_agent,
        source_file,
        source_line
    from events
    order by site, ts, source_file, source_line, kind
)

select * from final
