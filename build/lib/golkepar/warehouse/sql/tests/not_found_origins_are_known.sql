-- Broken-link rows whose origin is not a documented one, or does not go with the referer.
with origins as (
    select origin, referer_host is null as without_referer_host, count(*) as offending_rows
    from not_found
    group by all
),

final as (
    select * from origins
    where
        origin not in ('attack', 'internal_link', 'external_link', 'no_referer')
        or (origin = 'no_referer' and not without_referer_host)
        or (origin in ('internal_link', 'external_link') and without_referer_host)
)

select * from final
