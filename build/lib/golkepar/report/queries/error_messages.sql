-- The error-log messages seen most often, without the referer Apache appends (it would split
-- one message into as many rows as pages). Messages are cut: a log line can be huge.
with lines as (
    select coalesce(php_level, level, 'unknown') as level, left(regexp_replace(message, ', referer: .*$', ''), $message_chars) as message, ts
    from error_events
    where local_date between $since and $until and ($site is null or site = $site)
),
final as (
    select level, message, count(*) as lines, max(ts) as last_seen
    from lines
    group by all
)
select * from final order by lines desc, last_seen desc limit $top
