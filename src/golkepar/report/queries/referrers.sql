-- Other sites that sent visits (social networks and referrals; search engines have their own
-- table), by host of the visit's entry referer, per visitor class.
with period_visits as (
    select visitor_class, referer_host as host
    from visits
    where local_date between $since and $until
        and ($site is null or site = $site)
        and list_contains($classes, visitor_class)
        and channel in ('social', 'referral')
),
final as (
    select visitor_class, host, count(*) as visits
    from period_visits
    group by visitor_class, host
    qualify row_number() over (partition by visitor_class order by visits desc, host) <= $top
)
select * from final order by visitor_class, visits desc, host
