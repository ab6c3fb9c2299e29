-- Rows with a null where the table's documentation promises a value, by table and column.
with hit_nulls as (
    select 'hits' as relation, concat_ws('/', source_file, source_line) as row_key, column_name
    from hits
    cross join unnest([
        case when site is null then 'site' end,
        case when ts is null then 'ts' end,
        case when local_date is null then 'local_date' end,
        case when status is null then 'status' end,
        case when visitor_class is null then 'visitor_class' end,
        case when visit_id is null then 'visit_id' end,
        case when is_page is null then 'is_page' end,
        case when is_asset is null then 'is_asset' end,
        case when is_bot is null then 'is_bot' end
    ]) as nulls (column_name)
    where column_name is not null
),

visitor_nulls as (
    select 'visitors' as relation, concat_ws('/', site, visitor_key) as row_key, column_name
    from visitors
    cross join unnest([
        case when visitor_class is null then 'visitor_class' end,
        case when class_reason is null then 'class_reason' end,
        case when first_seen is null then 'first_seen' end,
        case when last_seen is null then 'last_seen' end,
        case when hits is null then 'hits' end,
        case when visits is null then 'visits' end
    ]) as nulls (column_name)
    where column_name is not null
),

visit_nulls as (
    select 'visits' as relation, visit_id as row_key, column_name
    from visits
    cross join unnest([
        case when visitor_key is null then 'visitor_key' end,
        case when site is null then 'site' end,
        case when local_date is null then 'local_date' end,
        case when started_at is null then 'started_at' end,
        case when ended_at is null then 'ended_at' end,
        case when duration_s is null then 'duration_s' end,
        case when hits is null then 'hits' end,
        case when visitor_class is null then 'visitor_class' end,
        case when is_bounce is null then 'is_bounce' end,
        case when channel is null then 'channel' end,
        case when is_returning is null then 'is_returning' end
    ]) as nulls (column_name)
    where column_name is not null
),

day_nulls as (
    select 'daily_traffic' as relation, concat_ws('/', site, local_date) as row_key, column_name
    from daily_traffic
    cross join unnest([
        case when hits is null then 'hits' end,
        case when pageviews is null then 'pageviews' end,
        case when visitors is null then 'visitors' end,
        case when visits is null then 'visits' end,
        case when bytes is null then 'bytes' end,
        case when bot_hits is null then 'bot_hits' end
    ]) as nulls (column_name)
    where column_name is not null
),

event_nulls as (
    select
        'security_events' as relation,
        concat_ws('/', source_file, source_line, kind) as row_key,
        column_name
    from security_events
    cross join unnest([
        case when ts is null then 'ts' end,
        case when site is null then 'site' end,
        case when ip is null then 'ip' end,
        case when visitor_key is null then 'visitor_key' end,
        case when detail is null then 'detail' end
    ]) as nulls (column_name)
    where column_name is not null
),

error_nulls as (
    select 'error_events' as relation, concat_ws('/', source_file, source_line) as row_key, column_name
    from error_events
    cross join unnest([
        case when ts is null then 'ts' end,
        case when site is null then 'site' end,
        case when message is null then 'message' end
    ]) as nulls (column_name)
    where column_name is not null
),

hour_nulls as (
    select
        'traffic_by_hour' as relation,
        concat_ws('/', site, local_date, local_hour, visitor_class) as row_key,
        column_name
    from traffic_by_hour
    cross join unnest([
        case when weekday is null then 'weekday' end,
        case when hits is null then 'hits' end,
        case when pageviews is null then 'pageviews' end,
        case when visits_started is null then 'visits_started' end,
        case when bytes is null then 'bytes' end
    ]) as nulls (column_name)
    where column_name is not null
),

missing_page_nulls as (
    select 'not_found' as relation, concat_ws('/', site, path, referer) as row_key, column_name
    from not_found
    cross join unnest([
        case when origin is null then 'origin' end,
        case when hits is null then 'hits' end,
        case when visitors is null then 'visitors' end,
        case when first_seen is null then 'first_seen' end,
        case when last_seen is null then 'last_seen' end
    ]) as nulls (column_name)
    where column_name is not null
),

final as (
    select * from hit_nulls
    union all
    select * from visitor_nulls
    union all
    select * from visit_nulls
    union all
    select * from day_nulls
    union all
    select * from event_nulls
    union all
    select * from error_nulls
    union all
    select * from hour_nulls
    union all
    select * from missing_page_nulls
)

select * from final
