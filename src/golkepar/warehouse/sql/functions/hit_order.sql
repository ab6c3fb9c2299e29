-- A hit's place in the order of a visitor's hits, as one number: its instant to the microsecond,
-- then its log file, then its line. Same-instant hits (a page and its assets) come out in the
-- same order in every build, full or incremental. A (ts, source_file, source_line) struct gives
-- the same order, but `arg_min`/`arg_max` build a sort key from it for every row: on 10M hits
-- the visitors' last-hit figures took 67 s of CPU with it and 7 s with this number. The file
-- is its name's hash (24 bits): two files colliding fall back to line order, still one order.
create or replace macro hit_order(ts, source_file, source_line) as
    (epoch_us(ts)::hugeint << 64)
    + ((hash(source_file) >> 40)::hugeint << 40)
    + source_line
