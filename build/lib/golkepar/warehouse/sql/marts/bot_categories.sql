-- Every value `bots.bot_category` and `visitors.bot_category` can hold, with what it means.
with categories as (
    select * from bot_category_source
),

final as (
    select bot_category, meaning from categories
    order by position
)

select * from final
