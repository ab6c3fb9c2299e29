-- Other sites that sent visits, by host of the visit's entry referer, per visitor class.
-- The site's own hosts (with and without www.) are internal navigation, not referrers.
with period_visits as (
    select
        visitor_class,
        site,
        lower(regexp_extract(entry_referer, '^[A-Za-z][A-Za-z0-9+.-]*://([^/:?#@]+)', 1)) as host
    from visits
    where local_date between $since and $until
        and ($site is null or site = $site)
        and visitor_class in ('human', 'bot', 'attacker')
        and entry_referer is not null
),
final as (
    select visitor_class, host, count(*) as visits
    from period_visits
    where host <> '' and host <> site and host <> 'www.' || site
    group by visitor_class, host
    qualify row_number() over (partition by visitor_class order by visits desc, host) <= $top
)
select * from final order by visitor_class, visits desc, host
