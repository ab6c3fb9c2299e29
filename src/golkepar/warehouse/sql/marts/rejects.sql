select * from stg_rejects
order by site, source_file, source_line
