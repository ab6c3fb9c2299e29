-- Hits whose visit_id is missing from visits.
with orphan_hits as (
    select hits.source_file, hits.source_line, hits.visit_id
    from hits
    anti join visits on hits.visit_id = visits.visit_id
),

final as (
    select * from orphan_hits
)

select * from final
