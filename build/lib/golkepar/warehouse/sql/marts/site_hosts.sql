-- The hosts each site answers as: the vhosts its hits show, its own name and the hosts of the
-- SITE_HOSTS setting ($site_hosts), each with and without `www.`. A referer on one of these is
-- a link from the site itself.
with site_vhosts as (
    select * from stg_site_vhosts
),

named_hosts as (
    select site, lower(vhost) as host from site_vhosts where vhost is not null
    union
    select site, lower(site) as host from site_vhosts
),

configured_hosts as (
    select sites.site, lower(trim(configured.host)) as host
    from (select distinct site from site_vhosts) as sites
    cross join unnest($site_hosts::varchar[]) as configured (host)
),

own_hosts as (
    select * from named_hosts
    union
    select * from configured_hosts
),

final as (
    select site, host from own_hosts
    union
    select
        site,
        case when starts_with(host, 'www.') then host[5:] else concat('www.', host) end as host
    from own_hosts
)

select * from final
