with final as (
    select
        now() as built_at,
        $golkepar_version::varchar as golkepar_version,
        version() as duckdb_version,
        $session_idle_minutes::integer as session_idle_minutes,
        $lake_files::integer as lake_files,
        $search_bot_ranges::varchar as search_bot_ranges,
        current_setting('memory_limit') as memory_limit,
        $build_mode::varchar as build_mode,
        $build_reason::varchar as build_reason,
        -- What the next build compares with, to recompute only what changed.
        $build_fingerprint::varchar as build_fingerprint,
        $search_bot_ranges_digest::varchar as search_bot_ranges_digest
)

select * from final
