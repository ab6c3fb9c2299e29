-- Lake hits with the columns in the warehouse's order; flags that may be missing read as false.
with source as (
    select * from lake_hits
),

renamed as (
    select
        site,
        vhost,
        ts,
        local_date,
        ip,
        visitor_key,
        remote_user,
        method,
        path,
        query,
        protocol,
        status,
        bytes,
        referer,
        user_agent,
        coalesce(is_asset, false) as is_asset,
        coalesce(is_page, false) as is_page,
        browser,
        os,
        device,
        country_code,
        region,
        city,
        asn,
        as_org,
        coalesce(is_bot, false) as is_bot,
        bot_name,
        source_file,
        source_line,
        utc_offset_min,
        -- The lake keeps the request line only when it does not split into its parts.
        coalesce(
            request, concat_ws(' ', method, path || coalesce('?' || query, ''), protocol)
        ) as request,
        bytes_in,
        response_time_us,
        extra,
        browser_version,
        latitude,
        longitude
    from source
)

select * from renamed
