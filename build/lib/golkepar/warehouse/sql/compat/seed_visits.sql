-- The seed's `visits` table (non-asset hits with status flags), for dashboards built on it.
with pages as (
    select * from hits where not is_asset
),

real_navigators as (
    select * from ips_real_navigator
),

bot_agents as (
    select * from ips_user_agent_identified_like_bot
),

admins as (
    select * from ip_marked_as_admin
),

bad_statuses as (
    select * from ip_that_got_bad_status
),

final as (
    select
        pages.*,
        case when pages.ip in (select ip from real_navigators) then 'real_browser'
            else 'not_a_browser' end as ip_browser_status,
        case when pages.ip in (select ip from bot_agents) then 'bot_agent'
            else 'not_bot_agent' end as is_bot_status,
        case when pages.ip in (select ip from admins) then 'ip_went_into_admin_area'
            else 'not_ip_went_into_admin_area' end as ip_admin_status,
        case when pages.ip in (select ip from bad_statuses) then 'ip_bad_status'
            else 'not_ip_bad_status' end as ip_reputation_status,
        lower(pages.bot_name) as agent
    from pages
)

select * from final
