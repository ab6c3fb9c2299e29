-- Rejected lines cast to the lake contract's types.
with source as (
    select * from lake_rejects
),

final as (
    select
        site::varchar as site,
        log_kind::varchar as log_kind,
        source_file::varchar as source_file,
        source_line::bigint as source_line,
        reason::varchar as reason,
        raw_line::varchar as raw_line
    from source
)

select * from final
