-- Visits per channel (direct, internal, search, social, referral) and visitor class.
with period_visits as (
    select visitor_class, channel
    from visits
    where local_date between $since and $until
        and ($site is null or site = $site)
        and list_contains($classes, visitor_class)
),
final as (
    select visitor_class, channel, count(*) as visits
    from period_visits
    group by all
)
select * from final order by visitor_class, visits desc, channel
