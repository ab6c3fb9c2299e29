-- Security events of a kind that golkepar/warehouse/patterns.py does not define.
with event_kinds as (
    select kind, count(*) as offending_rows
    from security_events
    group by kind
),

final as (
    select * from event_kinds
    where not list_contains($security_kinds, kind)
)

select * from final
