-- Visits whose channel is not a documented one, or whose search engine does not go with it.
with visit_channels as (
    select channel, search_engine, count(*) as offending_rows
    from visits
    group by channel, search_engine
),

final as (
    select * from visit_channels
    where
        channel not in ('direct', 'internal', 'search', 'social', 'referral')
        or (channel = 'search') is distinct from (search_engine is not null)
)

select * from final
