-- incremental: per day
-- Traffic per local hour of the log's own clock, by visitor class. The local time is the
-- instant plus the hit's own UTC offset, so the autumn DST change's repeated hour (02:00-03:00
-- at +02:00, then again at +01:00) is one hour that holds both, and the spring one has no 02:00.
with classified_hits as (
    select * from hits
),

sessions as (
    select * from visits
),

hourly_hits as (
    select
        site,
        local_date,
        hour(ts::timestamp + to_minutes(utc_offset_min)) as local_hour,
        visitor_class,
        count(*) as hits,
        count(*) filter (where is_page) as pageviews,
        coalesce(sum(bytes), 0)::bigint as bytes
    from classified_hits
    group by all
),

-- A visit counts in the hour its first hit was logged.
hourly_visits as (
    select
        site,
        local_date,
        hour(local_started_at) as local_hour,
        visitor_class,
        count(*) as visits_started
    from sessions
    group by all
),

final as (
    select
        hourly_hits.site,
        hourly_hits.local_date,
        hourly_hits.local_hour::integer as local_hour,
        hourly_hits.visitor_class,
        isodow(hourly_hits.local_date)::integer as weekday,
        hourly_hits.hits,
        hourly_hits.pageviews,
        coalesce(hourly_visits.visits_started, 0) as visits_started,
        hourly_hits.bytes
    from hourly_hits
    left join hourly_visits
        on hourly_hits.site = hourly_visits.site
        and hourly_hits.local_date = hourly_visits.local_date
        and hourly_hits.local_hour = hourly_visits.local_hour
        and hourly_hits.visitor_class = hourly_visits.visitor_class
    order by
        hourly_hits.site, hourly_hits.local_date, hourly_hits.local_hour, hourly_hits.visitor_class
)

select * from final
