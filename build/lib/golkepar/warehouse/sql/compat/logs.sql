-- The seed's table of every hit, by its old name.
with every_hit as (
    select * from hits
),

final as (
    select * from every_hit
)

select * from final
