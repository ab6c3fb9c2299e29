-- The seed's rule, unchanged: the addresses refused with one of these statuses.
with refused_hits as (
    select * from hits where status in (403, 405, 406, 412, 417, 423, 428)
),

final as (
    select distinct ip from refused_hits
)

select * from final
