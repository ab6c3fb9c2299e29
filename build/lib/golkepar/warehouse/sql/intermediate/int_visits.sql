-- Each visit's figures, from its hits; `visits` adds where it came from. The entry hit is the
-- visit's first hit: its referer and query tell the channel and the campaign.
with classified_hits as (
    select * from hits
),

final as (
    select
        visit_id,
        any_value(visitor_key) as visitor_key,
        site,
        arg_min(local_date, ts) as local_date,
        min(ts) as started_at,
        max(ts) as ended_at,
        date_diff('second', min(ts), max(ts)) as duration_s,
        count(*) as hits,
        count(*) filter (where is_page) as pageviews,
        coalesce(arg_min(path, ts) filter (where is_page), arg_min(path, ts)) as entry_path,
        coalesce(arg_max(path, ts) filter (where is_page), arg_max(path, ts)) as exit_path,
        arg_min_null(referer, ts) as entry_referer,
        arg_min_null(query, ts) as entry_query,
        -- The local time the visit started, in the offset of its first hit.
        arg_min(ts::timestamp + to_minutes(utc_offset_min), ts) as local_started_at,
        any_value(visitor_class) as visitor_class,
        any_value(country_code) as country_code,
        count(*) filter (where is_page) = 1 as is_bounce
    from classified_hits
    group by visit_id, site
)

select * from final
