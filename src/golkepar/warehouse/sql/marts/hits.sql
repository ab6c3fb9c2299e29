-- incremental: per visitor from ts
-- Every hit with its visitor's class and its visit. Rows keep the lake's order (files by site and
-- day, lines in log order): sorting 5 million wide rows would cost more than the rest of the build.
with staged_hits as (
    select * from stg_hits
),

source_files as (
    select * from int_source_files
),

hit_visits as (
    select * from int_hit_visits
),

visitor_classes as (
    select * from int_visitor_classes
),

final as (
    select
        staged_hits.*,
        coalesce(visitor_classes.visitor_class, 'unknown') as visitor_class,
        md5(concat_ws('/', staged_hits.site, staged_hits.visitor_key, hit_visits.visit_number))
            as visit_id
    from staged_hits
    inner join source_files on staged_hits.source_file = source_files.source_file
    inner join hit_visits
        on (source_files.file_number << 40) + staged_hits.source_line = hit_visits.hit_key
    left join visitor_classes
        on staged_hits.site = visitor_classes.site
        and staged_hits.visitor_key = visitor_classes.visitor_key
)

select * from final
