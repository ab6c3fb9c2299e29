select * from stg_errors
order by site, ts, source_file, source_line
