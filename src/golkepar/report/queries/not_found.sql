-- Hits answered 404 or 410, by path and referer. `origin`: `attack` (the visitor is an
-- attacker), `internal_link` (the referer is one of the site's own pages: a link to fix),
-- `external_link` (another site links to it), `no_referer`.
with missing as (
    select
        site, path, referer, visitor_key, visitor_class,
        lower(regexp_extract(referer, '^[A-Za-z][A-Za-z0-9+.-]*://([^/:?#@]+)', 1)) as referer_host,
        vhost
    from hits
    where status in (404, 410)
        and local_date between $since and $until
        and ($site is null or site = $site)
),
classified as (
    select
        path,
        referer,
        visitor_key,
        case
            when visitor_class = 'attacker' then 'attack'
            when referer is null or referer_host = '' then 'no_referer'
            when referer_host in (site, 'www.' || site, lower(vhost), 'www.' || lower(vhost))
                then 'internal_link'
            else 'external_link'
        end as origin
    from missing
),
per_link as (
    select origin, path, referer, count(*) as hits, count(distinct visitor_key) as visitors
    from classified
    group by all
),
-- Every origin's totals ride along on its top rows, so attack noise is counted but not listed.
final as (
    select
        *,
        sum(hits) over (partition by origin) as origin_hits,
        count(*) over (partition by origin) as origin_links
    from per_link
    qualify row_number() over (partition by origin order by hits desc, path, referer) <= $top
)
select * from final order by origin, hits desc, path, referer
