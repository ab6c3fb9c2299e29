-- The lower-case host of a URL (`https://WWW.Example.fr:8080/a` -> `www.example.fr`), null when
-- the URL has no scheme and host. Kept in the warehouse for SQL users too.
create or replace macro referer_host(url) as
    lower(nullif(regexp_extract(url, '^[a-zA-Z][a-zA-Z0-9+.-]*://(?:[^/?#@]*@)?([^/?#:]+)', 1), ''))
