-- One local day's hits of a busy site (bench/synthetic_lake.py binds every $name).
-- `roll(...)` is a stable 63-bit hash of its arguments: every choice below is one, so any day
-- can be made on its own and always comes out the same. Visits are drawn for the day before and
-- the day itself: the hits of yesterday's late visits that fall after midnight are today's.
with slots as (
    select d, slot, roll(d, slot, 'visit') as h
    from unnest([$day - 1, $day]) as days (d), range($slots) as slot_numbers (slot)
    where d >= 0
),

kinds as (
    select
        d,
        slot,
        h // 1000 as r,
        case
            when slot < $night_owls then 'night owl'
            -- At least one attack a day, however small the day.
            when slot = $night_owls then 'attacker'
            -- And every crawler once a day at least.
            when slot <= $night_owls + $crawlers then 'crawler'
            when h % 1000 < 700 then 'new'
            when h % 1000 < 820 then 'yesterday'
            when h % 1000 < 950 then 'loyal'
            when h % 1000 < 995 then 'crawler'
            else 'attacker'
        end as kind
    from slots
),

planned as (
    select
        *,
        case
            when kind = 'crawler' then 20 + r % 80
            when kind = 'attacker' then 10 + r % 60
            when kind = 'night owl' then 23
            -- A page and its 6 assets, then 0 to 8 more pages with an image each.
            when r % 10 < 4 then 7
            else 7 + 2 * (1 + r // 10 % 8)
        end as planned_hits,
        case
            when kind = 'crawler' then 10 + r // 1000 % 50
            when kind = 'attacker' then 1 + r // 1000 % 3
            when kind = 'night owl' then 60
            else 5 + r // 1000 % 40
        end as gap_s,
        case
            when kind = 'night owl' then 86400 - 600 + 60 * slot
            when kind in ('crawler', 'attacker') or r // 100000 % 5 = 0
                then roll(d, slot, 'start') % 86400
            -- People: 07:00 to 23:00, most in the afternoon.
            else 25200 + (roll(d, slot, 'a') % 57600 + roll(d, slot, 'b') % 57600) // 2
        end as start_s
    from kinds
),

counted as (
    select
        *,
        (sum(planned_hits) over (partition by d order by slot rows unbounded preceding))::bigint
            - planned_hits as first_hit
    from planned
),

visits as (
    -- The visits begun each day hold exactly $hits_per_day hits: the last one is cut short.
    select
        *,
        least(planned_hits, $hits_per_day - first_hit) as hits,
        -- Each crawler comes from $ips_per_crawler addresses.
        case
            when slot <= $night_owls + $crawlers
                then (slot - $night_owls - 1) * $ips_per_crawler + d % $ips_per_crawler
            else r // 7 % $crawler_visitors
        end as crawler_visitor,
        case
            when kind in ('new', 'night owl') then roll('day', d, r // 7 % $day_visitors)
            when kind = 'yesterday' then roll('day', d - 1, r // 7 % $day_visitors)
            when kind = 'loyal' then roll('loyal', r // 7 % $loyal_visitors)
            when kind = 'crawler' then roll('crawler', crawler_visitor)
            else roll('attacker', roll(d, r % $attackers_a_day) % $attackers)
        end as seed
    from counted
    where
        first_hit < $hits_per_day
        and (d = $day or start_s + (planned_hits - 1) * gap_s >= 86400)
),

actors as (
    select
        *,
        case
            when kind = 'crawler' then $crawler_agents[1 + crawler_visitor // $ips_per_crawler]
            when kind = 'attacker' then $attack_agents[1 + seed % len($attack_agents)]
            else $browser_agents[1 + seed // 7 % len($browser_agents)]
        end as agent_id,
        case
            when kind = 'crawler' then $crawler_networks[1 + crawler_visitor // $ips_per_crawler]
            when kind = 'attacker' then $attack_networks[1 + seed // 11 % len($attack_networks)]
            else $home_networks[1 + seed % len($home_networks)]
        end as network_id,
        kind = 'attacker' and seed % 3 = 0 as brute_force,
        kind = 'loyal' and roll(d, slot, 'turncoat') % $turncoat_every = 0 as turncoat
    from visits
),

visit_hits as (
    select
        *,
        unnest(range(hits)) as k
    from actors
),

timed as (
    select
        *,
        roll(d, slot, k) as draw,
        ($first_day::date + d)::timestamp + to_seconds(start_s + k * gap_s) as local_ts
    from visit_hits
),

todays as (
    select
        *,
        -- A page of the site: a named one, else an article, the first ones most read.
        case
            when draw % 4 = 0 then $pages[1 + draw // 4 % len($pages)]
            else concat('/blog/article-', pow($articles, draw // 16 % 10000 / 10000)::bigint, '/')
        end as page
    from timed
    where local_ts::date = $first_day::date + $day
),

targets as (
    select
        *,
        case
            when kind = 'attacker' and brute_force then '/wp-login.php'
            when kind = 'attacker' then $probes[1 + draw % len($probes)]
            when turncoat and k = hits - 1 then '/.env'
            when kind = 'crawler' and k = 0 and draw % 3 = 0 then '/robots.txt'
            when kind = 'crawler' and draw % 20 = 1 then '/sitemap.xml'
            when kind = 'crawler' then page
            when k = 0 or (k >= 7 and (k - 7) % 2 = 0) then page
            when k <= 6 then $assets[k]
            else concat($image_folder, 'photo-', roll(d, slot, k - 1) % 500, '.webp')
        end as target,
        case
            when kind = 'attacker' and brute_force and k % 10 <> 0 then 'POST'
            else 'GET'
        end as method
    from todays
),

answered as (
    select
        *,
        case
            when kind = 'attacker' and brute_force then 200
            when kind = 'attacker' then case when draw % 10 = 0 then 403 else 404 end
            when target = '/.env' then 404
            when draw % 100 < 3 then 404
            when kind = 'crawler' and draw % 100 < 5 then 301
            when kind in ('loyal', 'yesterday') and draw % 100 < 30 then 304
            else 200
        end::smallint as status,
        split_part(target, '?', 1) as path,
        nullif(substr(target, length(split_part(target, '?', 1)) + 2), '') as query
    from targets
),

located as (
    select
        answered.*,
        networks.base + 1 + roll(seed, 'host') % networks.span as address,
        networks.* exclude (network_id, base, span),
        agents.* exclude (agent_id)
    from answered
    join networks using (network_id)
    join agents using (agent_id)
),

shaped as (
    select
        *,
        timezone($time_zone, local_ts) as ts,
        concat_ws('.', address // 16777216, address // 65536 % 256, address // 256 % 256,
                  address % 256) as ip,
        regexp_matches(path, $asset_pattern) as is_static,
        regexp_matches(path, $non_page_paths) as for_robots
    from located
),

final as (
    select
        $site as site,
        $site as vhost,
        ts,
        date_diff('minute', timezone('UTC', ts), local_ts)::smallint as utc_offset_min,
        local_ts::date as local_date,
        ip,
        md5(concat(ip, chr(0), user_agent)) as visitor_key,
        null::varchar as remote_user,
        null::varchar as request,
        method,
        path,
        query,
        case when kind in ('new', 'loyal') and draw % 2 = 0 then 'HTTP/2.0' else 'HTTP/1.1' end
            as protocol,
        status,
        case
            when status = 304 then 0
            when status >= 300 then 300 + draw % 1500
            when is_static then 2000 + draw % 200000
            else 15000 + draw % 50000
        end::bigint as bytes,
        null::bigint as bytes_in,
        null::bigint as response_time_us,
        case
            when kind in ('crawler', 'attacker') then null
            when k > 0 then concat('https://', $site, '/')
            when draw % 10 < 4 then $search_referers[1 + draw // 10 % len($search_referers)]
            when draw % 10 = 4 then $social_referers[1 + draw // 10 % len($social_referers)]
        end as referer,
        user_agent,
        null::varchar as extra,
        is_static and not for_robots as is_asset,
        method = 'GET' and (status between 200 and 299 or status = 304)
            and not is_static and not for_robots as is_page,
        browser,
        browser_version,
        os,
        device,
        is_bot,
        bot_name,
        country_code,
        region,
        city,
        latitude,
        longitude,
        asn,
        as_org,
        $source_file as source_file,
        row_number() over (order by ts, d, slot, k) as source_line
    from shaped
)

select * from final order by source_line
