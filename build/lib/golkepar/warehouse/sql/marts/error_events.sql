-- incremental: per source
with errors as (
    select * from stg_errors
),

final as (
    select * from errors
    order by site, ts, source_file, source_line
)

select * from final
