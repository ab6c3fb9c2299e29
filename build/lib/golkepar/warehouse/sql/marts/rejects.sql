-- incremental: per source
with lines_rejected as (
    select * from stg_rejects
),

final as (
    select * from lines_rejected
    order by site, source_file, source_line
)

select * from final
