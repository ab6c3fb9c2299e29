-- One row per hit that matched an attack, per kind. The patterns are bound parameters, from
-- golkepar/warehouse/patterns.py. Requests are decoded and matched once per distinct
-- (path, query), then joined back to their hits.
with hits as (
    select
        h.ts, h.site, h.ip, h.visitor_key, h.method, h.path, h.query, h.status, h.local_date,
        h.user_agent, h.as_org, h.source_file, h.source_line, h.request
    from stg_hits as h
    -- A verified search engine crawls whatever links exist, attacks included: not an attacker.
    anti join (select site, visitor_key from search_bot_claims where verified) as v
        on h.site = v.site and h.visitor_key = v.visitor_key
),

requests as (
    select distinct path, query from hits where path is not null
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
            case when regexp_matches(decoded_request, $xss_attempt) then 'xss_attempt' end
        ], lambda kind: kind is not null)) as kind
    from targets
),

request_events as (
    select h.*, k.kind, k.decoded_request as detail
    from hits as h
    inner join request_kinds as k on h.path = k.path and h.query is not distinct from k.query
    -- An admin panel is probed when it answers "not here" (4xx), not when it asks for a login.
    where k.kind <> 'admin_probe' or (h.status between 400 and 499 and h.status <> 401)
),

scanner_agents as (
    select distinct user_agent from hits where regexp_matches(user_agent, $scanner_user_agent)
),

agent_events as (
    select h.*, 'scanner_user_agent' as kind, h.user_agent as detail
    from hits as h
    semi join scanner_agents as a on h.user_agent = a.user_agent
),

-- Brute force comes from one IP whatever User-Agents it rotates through.
login_posts as (
    select
        *,
        ts - lag(ts) over (partition by site, ip order by ts, source_file, source_line) as gap
    from hits
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
    from hits
    where
        method = 'POST'
        and regexp_matches(path, $xmlrpc_path)
        and not regexp_matches(coalesce(as_org, ''), $xmlrpc_trusted_as_org)
),

-- Only request lines that are not METHOD TARGET PROTOCOL (ingest leaves their method null).
protocol_probe_events as (
    select *, 'protocol_probe' as kind, request as detail
    from hits
    where method is null and regexp_matches(request, $protocol_probe)
),

fake_search_bot_events as (
    select
        h.ts, h.site, h.ip, h.visitor_key, h.path, h.status, h.local_date, h.user_agent,
        h.source_file, h.source_line,
        'fake_search_bot' as kind,
        concat('claims to be ', c.claimed_bot, ' from outside its published ranges') as detail
    from stg_hits as h
    inner join search_bot_claims as c on h.site = c.site and h.visitor_key = c.visitor_key
    where not c.verified
),

events as (
    select * from request_events
    union all by name
    select * from agent_events
    union all by name
    select * from login_events
    union all by name
    select * from xmlrpc_events
    union all by name
    select * from protocol_probe_events
    union all by name
    select * from fake_search_bot_events
)

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
