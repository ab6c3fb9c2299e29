-- The seed's "real browser" IPs: now the addresses of visitors classed `human`.
select distinct ip from visitors where visitor_class = 'human'
