-- The seed's bot IPs: now from the lake's crawler detection of the User-Agent.
with crawler_hits as (
    select * from hits where is_bot
),

final as (
    select distinct ip from crawler_hits
)

select * from final
