-- The lake files this build read, with their size and time: the next build compares them with
-- the lake's to recompute only what changed (docs/warehouse.md, "Incremental builds").
with listed_files as (
    select * from lake_file_source
),

final as (
    select dataset, path, source_file, bytes, modified_ns
    from listed_files
    order by dataset, path
)

select * from final
