-- The seed's "real browser" IPs: now the addresses of visitors classed `human`.
with humans as (
    select * from visitors where visitor_class = 'human'
),

final as (
    select distinct ip from humans
)

select * from final
