-- The addresses that attacked most, with every kind they tried and when they were last seen.
with events as (
    select site, ip, visitor_key, kind, ts
    from security_events
    where local_date between $since and $until and ($site is null or site = $site)
),
per_address as (
    select
        ip,
        count(*) as events,
        list_sort(list_distinct(list(kind))) as kinds,
        max(ts) as last_seen,
        arg_max(visitor_key, ts) as visitor_key,
        arg_max(site, ts) as site
    from events
    group by ip
),
final as (
    select
        per_address.ip,
        per_address.events,
        per_address.kinds,
        per_address.last_seen,
        visitors.country_code,
        visitors.as_org
    from per_address
    left join visitors using (site, visitor_key)
)
select * from final order by events desc, ip limit $top
