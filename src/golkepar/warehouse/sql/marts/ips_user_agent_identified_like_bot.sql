-- The seed's bot IPs: now from the lake's crawler detection of the User-Agent.
select distinct ip from hits where is_bot
