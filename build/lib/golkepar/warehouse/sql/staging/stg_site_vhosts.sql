-- The (site, vhost) pairs of every hit in the lake. An incremental build recomputes part of the
-- hits, but the hosts a site answers as come from its whole history.
with source as (
    select * from lake_site_vhosts
),

final as (
    select distinct
        site::varchar as site,
        vhost::varchar as vhost
    from source
)

select * from final
