-- Pages answered 404 or 410, per (site, path, referer), with where the broken link is:
-- `attack` when every hit of the row is a security event or an attacker's (scanners asking for
-- what does not exist), else by the referer: one of the site's own hosts (`internal_link`, a link
-- the owner can fix), another site (`external_link`, worth a redirect), none (`no_referer`).
with classified_hits as (
    select * from hits
),

events as (
    select * from security_events
),

own_hosts as (
    select * from site_hosts
),

missing_hits as (
    select
        site,
        path,
        referer,
        referer_host(referer) as referer_host,
        visitor_key,
        visitor_class,
        ts,
        source_file,
        source_line
    from classified_hits
    where status in (404, 410) and path is not null
),

event_hits as (
    select distinct source_file, source_line from events
),

hit_origins as (
    select
        missing_hits.*,
        case
            when missing_hits.visitor_class = 'attacker' or event_hits.source_line is not null
                then 'attack'
            when own_hosts.host is not null then 'internal_link'
            when missing_hits.referer_host is not null then 'external_link'
            else 'no_referer'
        end as origin
    from missing_hits
    left join event_hits
        on missing_hits.source_file = event_hits.source_file
        and missing_hits.source_line = event_hits.source_line
    left join own_hosts
        on missing_hits.site = own_hosts.site and missing_hits.referer_host = own_hosts.host
),

final as (
    select
        site,
        path,
        referer,
        any_value(referer_host) as referer_host,
        coalesce(any_value(origin) filter (where origin <> 'attack'), 'attack') as origin,
        count(*) as hits,
        count(distinct visitor_key) as visitors,
        min(ts) as first_seen,
        max(ts) as last_seen
    from hit_origins
    group by site, path, referer
    order by site, hits desc, path, referer
)

select * from final
