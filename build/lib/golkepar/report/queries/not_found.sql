-- Requests of the period answered 404 or 410, by path and referer, with the origin the
-- warehouse's `not_found` gives that link: `internal_link` (a link on the site's own pages, to
-- fix), `external_link`, `no_referer`, or `attack` (noise: counted, not listed at length).
with missing as (
    select site, path, referer, visitor_key
    from hits
    where status in (404, 410)
        and path is not null
        and local_date between $since and $until
        and ($site is null or site = $site)
),
per_link as (
    select site, path, referer, count(*) as hits, count(distinct visitor_key) as visitors
    from missing
    group by all
),
classified as (
    select not_found.origin, per_link.path, per_link.referer, per_link.hits, per_link.visitors
    from per_link
    join not_found
        on not_found.site = per_link.site
        and not_found.path = per_link.path
        and not_found.referer is not distinct from per_link.referer
),
-- Every origin's totals ride along on its top rows, so attack noise is counted but not listed.
final as (
    select
        *,
        sum(hits) over (partition by origin) as origin_hits,
        count(*) over (partition by origin) as origin_links
    from classified
    qualify row_number() over (partition by origin order by hits desc, path, referer) <= $top
)
select * from final order by origin, hits desc, path, referer
