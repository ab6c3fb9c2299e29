-- Hits of `bot` visitors per site, day and bot, with the bot's name and category from
-- `visitors`: the `bots` table day by day, so a chart of it follows the dashboard's time range
-- (`bots` itself sums every day the warehouse holds).
with bot_visitors as (
    -- `unnamed`: a bot found by its behaviour alone, as the `bots` table calls it.
    select site, visitor_key, coalesce(bot_name, 'unnamed') as bot_name, bot_category
    from visitors
    where visitor_class = 'bot'
),

daily_bot_hits as (
    select
        site,
        local_date,
        visitor_key,
        count(*) as hits,
        count(*) filter (where is_page) as pageviews,
        coalesce(sum(bytes), 0) as bytes
    from hits
    where visitor_class = 'bot'
    group by all
),

final as (
    select
        daily_bot_hits.site,
        daily_bot_hits.local_date,
        bot_visitors.bot_name,
        bot_visitors.bot_category,
        sum(daily_bot_hits.hits)::bigint as hits,
        sum(daily_bot_hits.pageviews)::bigint as pageviews,
        sum(daily_bot_hits.bytes)::bigint as bytes
    from daily_bot_hits
    inner join bot_visitors
        on daily_bot_hits.site = bot_visitors.site
        and daily_bot_hits.visitor_key = bot_visitors.visitor_key
    group by all
)

select * from final
