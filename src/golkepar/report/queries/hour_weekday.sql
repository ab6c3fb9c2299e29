-- Hits per weekday (1 = Monday) and hour of the day, on the logs' own clock, per class.
with hours as (
    select visitor_class, weekday, local_hour, hits
    from traffic_by_hour
    where local_date between $since and $until
        and ($site is null or site = $site)
        and list_contains($classes, visitor_class)
),
final as (
    select visitor_class, weekday, local_hour, sum(hits)::bigint as hits
    from hours
    group by all
)
select * from final order by visitor_class, weekday, local_hour
