-- Days whose log was still being written when the data was built (OVH's live log of the day):
-- their figures are partial.
with recent as (
    select distinct site, local_date
    from hits
    where local_date >= $last_day - 1
        and ($site is null or site = $site)
        and source_file like '%/live/%'
),
final as (select * from recent)
select * from final order by local_date, site
