-- Rows whose key is null or shared with another row, per table.
-- Hits are grouped by a hash of their key first: grouping millions of (file name, line) pairs
-- costs half again as much; the few hashes shared are then checked on the keys themselves.
with shared_hit_hashes as (
    select hash(source_file, source_line) as key_hash
    from hits
    group by key_hash
    having count(*) > 1
),

hit_keys as (
    select 'hits' as relation, concat_ws('/', source_file, source_line) as row_key, count(*) as copies
    from hits
    where hash(source_file, source_line) in (select key_hash from shared_hit_hashes)
        or source_file is null
        or source_line is null
    group by source_file, source_line
    having count(*) > 1 or source_file is null or source_line is null
),

reject_keys as (
    select 'rejects' as relation, concat_ws('/', source_file, source_line) as row_key, count(*) as copies
    from rejects
    group by source_file, source_line
    having count(*) > 1 or source_file is null or source_line is null
),

visitor_keys as (
    select 'visitors' as relation, concat_ws('/', site, visitor_key) as row_key, count(*) as copies
    from visitors
    group by site, visitor_key
    having count(*) > 1 or site is null or visitor_key is null
),

visit_keys as (
    select 'visits' as relation, visit_id as row_key, count(*) as copies
    from visits
    group by visit_id
    having count(*) > 1 or visit_id is null
),

day_keys as (
    select 'daily_traffic' as relation, concat_ws('/', site, local_date) as row_key, count(*) as copies
    from daily_traffic
    group by site, local_date
    having count(*) > 1 or site is null or local_date is null
),

event_keys as (
    select
        'security_events' as relation,
        concat_ws('/', source_file, source_line, kind) as row_key,
        count(*) as copies
    from security_events
    group by source_file, source_line, kind
    having count(*) > 1 or source_file is null or source_line is null or kind is null
),

error_keys as (
    select 'error_events' as relation, concat_ws('/', source_file, source_line) as row_key, count(*) as copies
    from error_events
    group by source_file, source_line
    having count(*) > 1 or source_file is null or source_line is null
),

bot_keys as (
    select 'bots' as relation, concat_ws('/', site, bot_name) as row_key, count(*) as copies
    from bots
    group by site, bot_name
    having count(*) > 1 or site is null or bot_name is null
),

hour_keys as (
    select
        'traffic_by_hour' as relation,
        concat_ws('/', site, local_date, local_hour, visitor_class) as row_key,
        count(*) as copies
    from traffic_by_hour
    group by site, local_date, local_hour, visitor_class
    having
        count(*) > 1
        or site is null
        or local_date is null
        or local_hour is null
        or visitor_class is null
),

-- The referer may be null: no referer is one row of its own.
missing_page_keys as (
    select
        'not_found' as relation,
        concat_ws('/', site, path, referer) as row_key,
        count(*) as copies
    from not_found
    group by site, path, referer
    having count(*) > 1 or site is null or path is null
),

final as (
    select * from hit_keys
    union all
    select * from reject_keys
    union all
    select * from visitor_keys
    union all
    select * from visit_keys
    union all
    select * from day_keys
    union all
    select * from event_keys
    union all
    select * from error_keys
    union all
    select * from bot_keys
    union all
    select * from hour_keys
    union all
    select * from missing_page_keys
)

select * from final
