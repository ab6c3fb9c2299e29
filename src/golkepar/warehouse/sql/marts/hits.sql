-- Every hit with its visitor's class and its visit. A visit is a visitor's run of hits with no
-- idle gap over $session_idle_minutes.
with hits as (
    select * from stg_hits
),

gaps as (
    select
        *,
        coalesce(
            ts - lag(ts) over visitor_time > to_minutes($session_idle_minutes), true
        ) as starts_visit
    from hits
    window visitor_time as (partition by site, visitor_key order by ts, source_file, source_line)
),

numbered as (
    select
        *,
        sum(starts_visit::integer) over (
            partition by site, visitor_key
            order by ts, source_file, source_line
            rows unbounded preceding
        ) as visit_number
    from gaps
)

select
    n.* exclude (starts_visit, visit_number),
    coalesce(c.visitor_class, 'unknown') as visitor_class,
    md5(concat_ws('/', n.site, n.visitor_key, n.visit_number)) as visit_id
from numbered as n
left join int_visitor_classes as c
    on n.site = c.site and n.visitor_key is not distinct from c.visitor_key
order by n.site, n.ts
