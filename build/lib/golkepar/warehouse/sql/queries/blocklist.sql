-- The addresses behind security events, worst first.
select
    ip,
    count(*) as events,
    list(distinct kind order by kind) as kinds,
    list(distinct site order by site) as sites,
    min(ts) as first_seen,
    max(ts) as last_seen
from security_events
where
    ip is not null
    and ($since::timestamptz is null or ts >= $since::timestamptz)
    and ($site::varchar is null or site = $site::varchar)
group by ip
order by events desc, ip
