with lines as (
    select local_date, coalesce(level, 'unknown') as level
    from error_events
    where local_date between $since and $until and ($site is null or site = $site)
),
final as (
    select local_date, level, count(*) as lines from lines group by all
)
select * from final order by local_date, level
