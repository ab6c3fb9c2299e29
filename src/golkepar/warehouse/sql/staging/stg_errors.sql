with source as (
    select * from lake_errors
),

renamed as (
    select
        ts,
        site,
        local_date,
        lower(level) as level,
        module,
        pid,
        client_ip,
        message,
        php_level,
        source_file,
        source_line
    from source
)

select * from renamed
