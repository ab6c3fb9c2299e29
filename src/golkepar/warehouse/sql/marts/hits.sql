-- Every hit with its visitor's class and its visit. Rows keep the lake's order (files by site and
-- day, lines in log order): sorting 5 million wide rows would cost more than the rest of the build.
select
    h.*,
    coalesce(c.visitor_class, 'unknown') as visitor_class,
    v.visit_id
from stg_hits as h
inner join int_hit_visits as v
    on h.source_file = v.source_file and h.source_line = v.source_line
left join int_visitor_classes as c
    on h.site = c.site and h.visitor_key = c.visitor_key
