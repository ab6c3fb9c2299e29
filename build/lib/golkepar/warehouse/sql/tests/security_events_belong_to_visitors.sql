-- Security events whose (site, visitor_key) is missing from visitors.
with orphan_events as (
    select security_events.source_file, security_events.source_line, security_events.kind
    from security_events
    anti join visitors
        on security_events.site = visitors.site
        and security_events.visitor_key = visitors.visitor_key
),

final as (
    select * from orphan_events
)

select * from final
