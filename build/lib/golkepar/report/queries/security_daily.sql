with events as (
    select local_date, kind
    from security_events
    where local_date between $since and $until and ($site is null or site = $site)
),
final as (
    select local_date, kind, count(*) as events from events group by all
)
select * from final order by local_date, kind
