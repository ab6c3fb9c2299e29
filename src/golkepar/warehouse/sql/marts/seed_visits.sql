-- The seed's `visits` table (non-asset hits with status flags), for dashboards built on it.
with pages as (
    select * from hits where not is_asset
)

select
    p.*,
    case when p.ip in (select ip from ips_real_navigator) then 'real_browser'
        else 'not_a_browser' end as ip_browser_status,
    case when p.ip in (select ip from ips_user_agent_identified_like_bot) then 'bot_agent'
        else 'not_bot_agent' end as is_bot_status,
    case when p.ip in (select ip from ip_marked_as_admin) then 'ip_went_into_admin_area'
        else 'not_ip_went_into_admin_area' end as ip_admin_status,
    case when p.ip in (select ip from ip_that_got_bad_status) then 'ip_bad_status'
        else 'not_ip_bad_status' end as ip_reputation_status,
    lower(p.bot_name) as agent
from pages as p
