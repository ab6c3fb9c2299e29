-- Error-log lines cast to the lake contract's types; levels in lower case.
with source as (
    select * from lake_errors
),

final as (
    select
        ts::timestamptz as ts,
        site::varchar as site,
        local_date::date as local_date,
        lower(level::varchar) as level,
        module::varchar as module,
        pid::bigint as pid,
        client_ip::varchar as client_ip,
        message::varchar as message,
        php_level::varchar as php_level,
        source_file::varchar as source_file,
        source_line::bigint as source_line
    from source
)

select * from final
