-- Visits that arrived with campaign tags (utm_source, utm_medium, utm_campaign).
with tagged as (
    select visitor_class, utm_source, utm_medium, utm_campaign, is_bounce
    from visits
    where local_date between $since and $until
        and ($site is null or site = $site)
        and list_contains($classes, visitor_class)
        and (utm_source is not null or utm_medium is not null or utm_campaign is not null)
),
final as (
    select
        visitor_class, utm_campaign, utm_source, utm_medium,
        count(*) as visits,
        avg(is_bounce::integer) as bounce_rate
    from tagged
    group by visitor_class, utm_campaign, utm_source, utm_medium
    qualify row_number() over (
        partition by visitor_class order by visits desc, utm_campaign, utm_source, utm_medium
    ) <= $top
)
select * from final order by visitor_class, visits desc, utm_campaign, utm_source, utm_medium
