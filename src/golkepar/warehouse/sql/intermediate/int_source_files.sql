-- A number for each log file the hits read, for the hit keys of `int_hit_visits` and `hits`:
-- `(file_number << 40) + source_line` is one BIGINT per hit (2^40 lines a file, 2^23 files),
-- where joining on (source_file, source_line) kept a string in every row of the join's table.
-- The numbers hold within one build only; nothing stores them.
with source_files as (
    select distinct source_file from stg_hits
),

final as (
    select source_file, row_number() over (order by source_file) as file_number
    from source_files
)

select * from final
