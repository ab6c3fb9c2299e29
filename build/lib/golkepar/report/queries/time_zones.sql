-- The UTC offsets the logs of the period were written in (two around a daylight-saving change).
with offsets as (
    select distinct utc_offset_min
    from hits
    where local_date between $since and $until and ($site is null or site = $site)
),
final as (select * from offsets)
select * from final order by utc_offset_min desc
