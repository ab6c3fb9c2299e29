-- Bots and visitors whose bot category is not in `bot_categories` (the list in
-- golkepar/warehouse/bot_catalogue.py), a bot visitor without one, or another visitor with one.
with categories as (
    select bot_category from bot_categories
),

categorised as (
    select
        'bots' as relation,
        concat_ws('/', site, bot_name) as row_key,
        bot_category,
        true as must_have_one
    from bots
    union all
    select
        'visitors' as relation,
        concat_ws('/', site, visitor_key) as row_key,
        bot_category,
        visitor_class = 'bot' as must_have_one
    from visitors
),

final as (
    select relation, row_key, bot_category
    from categorised
    where
        (
            must_have_one
            and (bot_category is null or bot_category not in (select bot_category from categories))
        )
        or (not must_have_one and bot_category is not null)
)

select * from final
