-- Bots by name: one row per (site, bot_name) over the visitors classed `bot`. A bot found only
-- by its behaviour has no name: `unnamed`.
with bot_visitors as (
    select * from visitors where visitor_class = 'bot'
),

final as (
    select
        site,
        coalesce(bot_name, 'unnamed') as bot_name,
        -- One name has one category; min() only picks it.
        min(bot_category) as bot_category,
        -- Null unless the operator's published ranges were there to check the addresses against.
        bool_and(verified_bot) as verified,
        count(*) as visitors,
        sum(hits)::bigint as hits,
        sum(pageviews)::bigint as pageviews,
        sum(bytes)::bigint as bytes,
        min(first_seen) as first_seen,
        max(last_seen) as last_seen
    from bot_visitors
    group by site, coalesce(bot_name, 'unnamed')
    order by site, hits desc, bot_name
)

select * from final
