-- Crawlers by name (and the category of the bot list) over the period: what they fetched and how many bytes they cost the
-- hosting. `verified`: the address is in the operator's published ranges (null: not checked).
with bot_hits as (
    select site, visitor_key, is_page, bytes
    from hits
    where visitor_class = 'bot'
        and local_date between $since and $until
        and ($site is null or site = $site)
),
named as (
    select
        coalesce(visitors.bot_name, 'unnamed') as bot_name,
        visitors.bot_category,
        visitors.verified_bot as verified,
        bot_hits.visitor_key,
        bot_hits.is_page,
        bot_hits.bytes
    from bot_hits join visitors using (site, visitor_key)
),
final as (
    select
        bot_name,
        -- One category a name (the bot list's); `min` only makes the choice stable.
        min(bot_category) as bot_category,
        bool_or(verified) as verified,
        count(distinct visitor_key) as visitors,
        count(*) as hits,
        count(*) filter (where is_page) as pageviews,
        coalesce(sum(bytes), 0)::bigint as bytes
    from named
    group by bot_name
)
select * from final order by hits desc, bot_name limit $top
