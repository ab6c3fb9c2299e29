-- Hits per weekday (1 = Monday) and hour of the day, in the logs' own local time, per class.
with period_hits as (
    select
        visitor_class,
        isodow(local_date) as weekday,
        hour(ts::timestamp + to_minutes(utc_offset_min)) as local_hour
    from hits
    where local_date between $since and $until
        and ($site is null or site = $site)
        and visitor_class in ('human', 'bot', 'attacker')
),
final as (
    select visitor_class, weekday, local_hour, count(*) as hits
    from period_hits
    group by all
)
select * from final order by visitor_class, weekday, local_hour
