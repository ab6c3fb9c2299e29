-- The seed's rule, unchanged: the addresses refused with one of these statuses.
select distinct ip from hits where status in (403, 405, 406, 412, 417, 423, 428)
