-- materialized: view
-- daily_traffic's figures per calendar month of local dates; visitors are distinct over the
-- month (a person seen on two days is one visitor), so they are counted from the hits.
with days as (
    select * from daily_traffic
),

classified_hits as (
    select * from hits
),

monthly_sums as (
    select
        site,
        date_trunc('month', local_date)::date as month,
        sum(hits)::bigint as hits,
        sum(pageviews)::bigint as pageviews,
        sum(visits)::bigint as visits,
        sum(bytes)::bigint as bytes,
        sum(bot_hits)::bigint as bot_hits,
        sum(attacker_hits)::bigint as attacker_hits,
        sum(status_4xx)::bigint as status_4xx,
        sum(status_5xx)::bigint as status_5xx,
        sum(human_hits)::bigint as human_hits,
        sum(human_pageviews)::bigint as human_pageviews,
        sum(human_visits)::bigint as human_visits
    from days
    group by all
),

monthly_visitors as (
    select
        site,
        date_trunc('month', local_date)::date as month,
        count(distinct visitor_key) as visitors
    from classified_hits
    where visitor_class = 'human'
    group by all
),

final as (
    select
        monthly_sums.site,
        monthly_sums.month,
        monthly_sums.hits,
        monthly_sums.pageviews,
        coalesce(monthly_visitors.visitors, 0) as visitors,
        monthly_sums.visits,
        monthly_sums.bytes,
        monthly_sums.bot_hits,
        monthly_sums.attacker_hits,
        monthly_sums.status_4xx,
        monthly_sums.status_5xx,
        monthly_sums.human_hits,
        monthly_sums.human_pageviews,
        monthly_sums.human_visits
    from monthly_sums
    left join monthly_visitors
        on monthly_sums.site = monthly_visitors.site and monthly_sums.month = monthly_visitors.month
    order by monthly_sums.site, monthly_sums.month
)

select * from final
