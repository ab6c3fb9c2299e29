-- Columns with nulls where the table's documentation promises a value: one row per table and
-- column, with how many rows lack it. Counting is one pass per table, whatever its size.
with hit_nulls as (
    unpivot (
        select
            count(*) - count(site) as site,
            count(*) - count(ts) as ts,
            count(*) - count(local_date) as local_date,
            count(*) - count(status) as status,
            count(*) - count(visitor_class) as visitor_class,
            count(*) - count(visit_id) as visit_id,
            count(*) - count(is_page) as is_page,
            count(*) - count(is_asset) as is_asset,
            count(*) - count(is_bot) as is_bot
        from hits
    ) on columns(*) into name column_name value null_rows
),

visitor_nulls as (
    unpivot (
        select
            count(*) - count(visitor_class) as visitor_class,
            count(*) - count(class_reason) as class_reason,
            count(*) - count(first_seen) as first_seen,
            count(*) - count(last_seen) as last_seen,
            count(*) - count(hits) as hits,
            count(*) - count(visits) as visits
        from visitors
    ) on columns(*) into name column_name value null_rows
),

visit_nulls as (
    unpivot (
        select
            count(*) - count(visitor_key) as visitor_key,
            count(*) - count(site) as site,
            count(*) - count(local_date) as local_date,
            count(*) - count(started_at) as started_at,
            count(*) - count(ended_at) as ended_at,
            count(*) - count(duration_s) as duration_s,
            count(*) - count(hits) as hits,
            count(*) - count(visitor_class) as visitor_class,
            count(*) - count(is_bounce) as is_bounce,
            count(*) - count(channel) as channel,
            count(*) - count(is_returning) as is_returning
        from visits
    ) on columns(*) into name column_name value null_rows
),

day_nulls as (
    unpivot (
        select
            count(*) - count(hits) as hits,
            count(*) - count(pageviews) as pageviews,
            count(*) - count(visitors) as visitors,
            count(*) - count(visits) as visits,
            count(*) - count(bytes) as bytes,
            count(*) - count(bot_hits) as bot_hits
        from daily_traffic
    ) on columns(*) into name column_name value null_rows
),

event_nulls as (
    unpivot (
        select
            count(*) - count(ts) as ts,
            count(*) - count(site) as site,
            count(*) - count(ip) as ip,
            count(*) - count(visitor_key) as visitor_key,
            count(*) - count(detail) as detail
        from security_events
    ) on columns(*) into name column_name value null_rows
),

error_nulls as (
    unpivot (
        select
            count(*) - count(ts) as ts,
            count(*) - count(site) as site,
            count(*) - count(message) as message
        from error_events
    ) on columns(*) into name column_name value null_rows
),

hour_nulls as (
    unpivot (
        select
            count(*) - count(weekday) as weekday,
            count(*) - count(hits) as hits,
            count(*) - count(pageviews) as pageviews,
            count(*) - count(visits_started) as visits_started,
            count(*) - count(bytes) as bytes
        from traffic_by_hour
    ) on columns(*) into name column_name value null_rows
),

missing_page_nulls as (
    unpivot (
        select
            count(*) - count(origin) as origin,
            count(*) - count(hits) as hits,
            count(*) - count(visitors) as visitors,
            count(*) - count(first_seen) as first_seen,
            count(*) - count(last_seen) as last_seen
        from not_found
    ) on columns(*) into name column_name value null_rows
),

final as (
    select 'hits' as relation, * from hit_nulls where null_rows > 0
    union all
    select 'visitors' as relation, * from visitor_nulls where null_rows > 0
    union all
    select 'visits' as relation, * from visit_nulls where null_rows > 0
    union all
    select 'daily_traffic' as relation, * from day_nulls where null_rows > 0
    union all
    select 'security_events' as relation, * from event_nulls where null_rows > 0
    union all
    select 'error_events' as relation, * from error_nulls where null_rows > 0
    union all
    select 'traffic_by_hour' as relation, * from hour_nulls where null_rows > 0
    union all
    select 'not_found' as relation, * from missing_page_nulls where null_rows > 0
)

select * from final
