with traffic as (
    select site, hits from daily_traffic
    where local_date between $since and $until and ($site is null or site = $site)
),
final as (
    select site, sum(hits)::bigint as hits from traffic group by site order by hits desc, site
)
select * from final
