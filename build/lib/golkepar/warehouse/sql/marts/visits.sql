-- incremental: per visitor from started_at
-- Sessions, with where each came from: the referer's host and channel, the search engine,
-- the campaign tags of the entry hit's query, and whether the visitor had come before.
-- Read four times: `not materialized` keeps DuckDB from copying the table first.
with visit_figures as not materialized (
    select * from int_visits
),

own_hosts as (
    select * from site_hosts
),

sources as (
    select * from referer_sources
),

entry_hosts as (
    select distinct site, referer_host(entry_referer) as referer_host
    from visit_figures
    where referer_host(entry_referer) is not null
),

-- A host matched by several sources takes the first one listed (search before social).
source_hosts as (
    select entry_hosts.site, entry_hosts.referer_host, sources.channel, sources.source_name
    from entry_hosts
    inner join sources on regexp_matches(entry_hosts.referer_host, sources.host_regex)
    qualify row_number() over (
        partition by entry_hosts.site, entry_hosts.referer_host order by sources.rank
    ) = 1
),

host_channels as (
    select
        entry_hosts.site,
        entry_hosts.referer_host,
        case
            when own_hosts.host is not null then 'internal'
            else coalesce(source_hosts.channel, 'referral')
        end as channel,
        case
            when own_hosts.host is null and source_hosts.channel = 'search'
                then source_hosts.source_name
        end as search_engine
    from entry_hosts
    left join own_hosts
        on entry_hosts.site = own_hosts.site and entry_hosts.referer_host = own_hosts.host
    left join source_hosts
        on entry_hosts.site = source_hosts.site
        and entry_hosts.referer_host = source_hosts.referer_host
),

-- A window over the visits of each visitor would sort them all: one first start per visitor,
-- joined back, costs a fraction of it. A returning visitor's first visit may be in their
-- history, before what an incremental build recomputes (a visit starts at its first hit).
recent_first_visits as (
    select site, visitor_key, min(started_at) as first_started_at
    from visit_figures
    group by site, visitor_key
),

first_visits as (
    select
        recent_first_visits.site,
        recent_first_visits.visitor_key,
        least(recent_first_visits.first_started_at, earlier.first_seen) as first_started_at
    from recent_first_visits
    left join visitor_history as earlier
        on recent_first_visits.site = earlier.site
        and recent_first_visits.visitor_key = earlier.visitor_key
),

-- Campaign tags, percent-decoded (`+` is a space); a value that is not valid UTF-8 once decoded
-- is kept as logged.
campaign_tags as (
    select
        visit_id,
        nullif(regexp_extract(entry_query, '(?:^|&)utm_source=([^&#]*)', 1), '') as raw_source,
        nullif(regexp_extract(entry_query, '(?:^|&)utm_medium=([^&#]*)', 1), '') as raw_medium,
        nullif(regexp_extract(entry_query, '(?:^|&)utm_campaign=([^&#]*)', 1), '') as raw_campaign
    from visit_figures
    where entry_query like '%utm\_%' escape '\'
),

final as (
    select
        visit_figures.visit_id,
        visit_figures.visitor_key,
        visit_figures.site,
        visit_figures.local_date,
        visit_figures.started_at,
        visit_figures.ended_at,
        visit_figures.duration_s,
        visit_figures.hits,
        visit_figures.pageviews,
        visit_figures.entry_path,
        visit_figures.exit_path,
        visit_figures.entry_referer,
        visit_figures.visitor_class,
        visit_figures.country_code,
        visit_figures.is_bounce,
        visit_figures.local_started_at,
        host_channels.referer_host,
        coalesce(host_channels.channel, 'direct') as channel,
        host_channels.search_engine,
        coalesce(
            try(url_decode(replace(campaign_tags.raw_source, '+', ' '))), campaign_tags.raw_source
        ) as utm_source,
        coalesce(
            try(url_decode(replace(campaign_tags.raw_medium, '+', ' '))), campaign_tags.raw_medium
        ) as utm_medium,
        coalesce(
            try(url_decode(replace(campaign_tags.raw_campaign, '+', ' '))),
            campaign_tags.raw_campaign
        ) as utm_campaign,
        visit_figures.started_at > first_visits.first_started_at as is_returning
    from visit_figures
    left join host_channels
        on visit_figures.site = host_channels.site
        and referer_host(visit_figures.entry_referer) = host_channels.referer_host
    left join campaign_tags on visit_figures.visit_id = campaign_tags.visit_id
    inner join first_visits
        on visit_figures.site = first_visits.site
        and visit_figures.visitor_key = first_visits.visitor_key
    order by visit_figures.site, visit_figures.started_at
)

select * from final
