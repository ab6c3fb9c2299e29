-- The seed's admin IPs: now the addresses of visitors classed `admin`.
with admins as (
    select * from visitors where visitor_class = 'admin'
),

final as (
    select distinct ip from admins
)

select * from final
