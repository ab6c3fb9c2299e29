-- Visits whose (site, visitor_key) is missing from visitors.
with orphan_visits as (
    select visits.visit_id, visits.site, visits.visitor_key
    from visits
    anti join visitors
        on visits.site = visitors.site and visits.visitor_key = visitors.visitor_key
),

final as (
    select * from orphan_visits
)

select * from final
