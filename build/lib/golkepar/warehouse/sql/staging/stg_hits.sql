-- Lake hits cast to the lake contract's types (docs/lake.md), in the warehouse's column order.
-- A file written before a column existed reads it as null; flags that may be missing read false.
with source as (
    select * from lake_hits
),

final as (
    select
        site::varchar as site,
        vhost::varchar as vhost,
        ts::timestamptz as ts,
        local_date::date as local_date,
        ip::varchar as ip,
        visitor_key::varchar as visitor_key,
        remote_user::varchar as remote_user,
        method::varchar as method,
        path::varchar as path,
        query::varchar as query,
        protocol::varchar as protocol,
        status::smallint as status,
        bytes::bigint as bytes,
        referer::varchar as referer,
        user_agent::varchar as user_agent,
        coalesce(is_asset::boolean, false) as is_asset,
        coalesce(is_page::boolean, false) as is_page,
        browser::varchar as browser,
        os::varchar as os,
        device::varchar as device,
        country_code::varchar as country_code,
        region::varchar as region,
        city::varchar as city,
        asn::bigint as asn,
        as_org::varchar as as_org,
        coalesce(is_bot::boolean, false) as is_bot,
        bot_name::varchar as bot_name,
        source_file::varchar as source_file,
        source_line::bigint as source_line,
        utc_offset_min::smallint as utc_offset_min,
        -- The lake keeps the request line only when it does not split into its parts.
        coalesce(
            request::varchar,
            concat_ws(' ', method, path || coalesce('?' || query, ''), protocol)
        ) as request,
        bytes_in::bigint as bytes_in,
        response_time_us::bigint as response_time_us,
        extra::varchar as extra,
        browser_version::varchar as browser_version,
        latitude::double as latitude,
        longitude::double as longitude
    from source
)

select * from final
