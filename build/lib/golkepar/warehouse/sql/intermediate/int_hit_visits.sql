-- The visit of each hit. A visit is a visitor's run of hits with no idle gap over
-- $session_idle_minutes. Computed on the few columns it needs, then joined back in `hits`:
-- sorting whole hits for the window would cost several times more. An incremental build reads
-- a returning visitor's hits from their last visit on: their earlier visits keep their numbers.
with visitor_hits as (
    select site, visitor_key, ts, source_file, source_line from stg_hits
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
        numbered.source_file,
        numbered.source_line,
        md5(
            concat_ws(
                '/',
                numbered.site,
                numbered.visitor_key,
                numbered.visit_number + coalesce(earlier.visits_before, 0)
            )
        ) as visit_id
    from numbered
    left join earlier
        on numbered.site = earlier.site and numbered.visitor_key = earlier.visitor_key
)

select * from final
