with source as (
    select * from lake_rejects
),

renamed as (
    select
        site,
        log_kind,
        source_file,
        source_line,
        reason,
        raw_line
    from source
)

select * from renamed
