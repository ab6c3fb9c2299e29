-- The headline figures of the period (`current`) and of the period of equal length just before
-- it (`previous`), from the warehouse's period_summary: every reader compares periods alike.
with summary as (
    select * from period_summary($site, $since, $until)
),
final as (
    select
        period,
        human_visitors as visitors,
        human_visits as visits,
        human_pageviews as pageviews,
        bounce_rate,
        avg_visit_duration_s as average_duration_s,
        bytes,
        hits,
        bot_hit_share as bot_share,
        attacker_hit_share as attacker_share
    from summary
)
select * from final
