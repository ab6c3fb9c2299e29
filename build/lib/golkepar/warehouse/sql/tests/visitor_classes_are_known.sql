-- Rows whose visitor_class is not one of the documented classes.
with hit_classes as (
    select 'hits' as relation, visitor_class, count(*) as offending_rows
    from hits
    group by visitor_class
),

visit_classes as (
    select 'visits' as relation, visitor_class, count(*) as offending_rows
    from visits
    group by visitor_class
),

visitor_classes as (
    select 'visitors' as relation, visitor_class, count(*) as offending_rows
    from visitors
    group by visitor_class
),

final as (
    select * from (
        select * from hit_classes
        union all
        select * from visit_classes
        union all
        select * from visitor_classes
    )
    where visitor_class not in ('attacker', 'admin', 'bot', 'human', 'unknown')
)

select * from final
