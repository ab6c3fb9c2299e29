-- The seed's admin IPs: now the addresses of visitors classed `admin`.
select distinct ip from visitors where visitor_class = 'admin'
