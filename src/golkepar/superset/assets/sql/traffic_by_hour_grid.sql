-- `traffic_by_hour` with a row for each of the 24 hours of every day a site has traffic, for
-- each visitor class: 0 hits where there were none. A heat map draws only the cells it gets,
-- so without the zeros a quiet night would vanish from the axis instead of showing as empty.
with hourly as (
    select * from traffic_by_hour
),

days as (
    select distinct site, local_date, weekday from hourly
),

classes as (
    select distinct visitor_class from hourly
),

hours as (
    select range::integer as local_hour from range(24)
),

grid as (
    select days.site, days.local_date, hours.local_hour, classes.visitor_class, days.weekday
    from days
    cross join hours
    cross join classes
),

final as (
    select
        grid.site,
        grid.local_date,
        grid.local_hour,
        grid.visitor_class,
        grid.weekday,
        coalesce(hourly.hits, 0) as hits,
        coalesce(hourly.pageviews, 0) as pageviews,
        coalesce(hourly.visits_started, 0) as visits_started,
        coalesce(hourly.bytes, 0) as bytes
    from grid
    left join hourly
        on grid.site = hourly.site
        and grid.local_date = hourly.local_date
        and grid.local_hour = hourly.local_hour
        and grid.visitor_class = hourly.visitor_class
)

select * from final
