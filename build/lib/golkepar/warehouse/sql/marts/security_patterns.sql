-- The patterns security_events used, so a reader can see why a hit matched.
with patterns as (
    select * from security_pattern_source
),

final as (
    select kind, target, pattern from patterns
)

select * from final
