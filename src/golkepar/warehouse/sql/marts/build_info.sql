with final as (
    select
        now() as built_at,
        $golkepar_version::varchar as golkepar_version,
        version() as duckdb_version,
        $session_idle_minutes::integer as session_idle_minutes,
        $lake_files::integer as lake_files,
        $search_bot_ranges::varchar as search_bot_ranges,
        current_setting('memory_limit') as memory_limit
)

select * from final
