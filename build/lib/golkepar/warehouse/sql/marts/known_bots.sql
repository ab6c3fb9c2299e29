-- The bot list the build named and sorted bots with (golkepar/warehouse/bot_catalogue.py): a
-- User-Agent holding `word` (any case) is `bot_name`, of `bot_category`.
with known_bot_words as (
    select * from known_bot_source
),

final as (
    select word, bot_name, bot_category from known_bot_words
    order by bot_category, bot_name, word
)

select * from final
