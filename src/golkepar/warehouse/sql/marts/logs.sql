-- The seed's table of every hit, by its old name.
select * from hits
