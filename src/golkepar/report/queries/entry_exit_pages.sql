-- Where visits start and end, per visitor class: `kind` is `entry` or `exit`.
with period_visits as (
    select visitor_class, entry_path, exit_path, is_bounce
    from visits
    where local_date between $since and $until
        and ($site is null or site = $site)
        and list_contains($classes, visitor_class)
),
entry as (
    select
        'entry' as kind, visitor_class, entry_path as path,
        count(*) as visits, avg(is_bounce::integer) as bounce_rate
    from period_visits group by all
),
exit as (
    select
        'exit' as kind, visitor_class, exit_path as path,
        count(*) as visits, null::double as bounce_rate
    from period_visits group by all
),
entries_and_exits as (
    select * from entry union all select * from exit
),
final as (
    select * from entries_and_exits
    qualify row_number() over (partition by kind, visitor_class order by visits desc, path) <= $top
)
select * from final order by kind, visitor_class, visits desc, path
