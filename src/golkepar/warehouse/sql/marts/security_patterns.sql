-- The patterns security_events used, so a reader can see why a hit matched.
select kind, target, pattern from security_pattern_source
