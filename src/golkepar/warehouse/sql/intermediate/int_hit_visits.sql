-- The visit of each hit, as its visitor's visit number. A visit is a visitor's run of hits with
-- no idle gap over $session_idle_minutes. Computed on the few columns it needs, then joined
-- back in `hits` by the hit's key (see `int_source_files`): sorting whole hits for the window
-- would cost several times more, and a narrow join table keeps the lake's row order (on 10M
-- hits, a join carrying file names and visit ids spilled and wrote `hits` 2.4 times slower).
-- An incremental build reads a returning visitor's hits from their last visit on: their
-- earlier visits keep their numbers.
with visitor_hits as (
    select
        stg_hits.site,
        stg_hits.visitor_key,
        stg_hits.ts,
        (source_files.file_number << 40) + stg_hits.source_line as hit_key
    from stg_hits
    inner join int_source_files as source_files
        on stg_hits.source_file = source_files.source_file
),

earlier as (
    select site, visitor_key, visits_before from visitor_history
),

gaps as (
    select
        *,
        coalesce(
            ts - lag(ts) over visitor_time > to_minutes($session_idle_minutes), true
        ) as starts_visit
    from visitor_hits
    -- Hits at the same instant are one gap of zero whatever their order: ts alone is enough.
    window visitor_time as (partition by site, visitor_key order by ts)
),

numbered as (
    select
        *,
        -- The default frame takes in every hit at the same instant: peers share a visit.
        sum(starts_visit::integer) over (partition by site, visitor_key order by ts)
            as visit_number
    from gaps
),

final as (
    select
        numbered.hit_key,
        (numbered.visit_number + coalesce(earlier.visits_before, 0))::integer as visit_number
    from numbered
    left join earlier
        on numbered.site = earlier.site and numbered.visitor_key = earlier.visitor_key
)

select * from final
