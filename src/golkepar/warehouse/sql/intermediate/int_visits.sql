-- Each visit's figures, from its hits; `visits` adds where it came from. The entry hit is the
-- visit's first hit: its referer and query tell the channel and the campaign. Hits of the same
-- instant are taken in log order, so every build picks the same one.
with classified_hits as (
    select *, hit_order(ts, source_file, source_line) as hit_order from hits
),

final as (
    select
        visit_id,
        any_value(visitor_key) as visitor_key,
        site,
        arg_min(local_date, hit_order) as local_date,
        min(ts) as started_at,
        max(ts) as ended_at,
        date_diff('second', min(ts), max(ts)) as duration_s,
        count(*) as hits,
        count(*) filter (where is_page) as pageviews,
        coalesce(arg_min(path, hit_order) filter (where is_page), arg_min(path, hit_order)) as entry_path,
        coalesce(arg_max(path, hit_order) filter (where is_page), arg_max(path, hit_order)) as exit_path,
        arg_min_null(referer, hit_order) as entry_referer,
        arg_min_null(query, hit_order) as entry_query,
        -- The local time the visit started, in the offset of its first hit.
        arg_min(ts::timestamp + to_minutes(utc_offset_min), hit_order) as local_started_at,
        any_value(visitor_class) as visitor_class,
        arg_min(country_code, hit_order) as country_code,
        count(*) filter (where is_page) = 1 as is_bounce
    from classified_hits
    group by visit_id, site
)

select * from final
