-- The hits that make a visitor an administrator (docs/warehouse.md, "Visitor classes"): a
-- request with a remote user that succeeded, a successful non-asset request to the admin area
-- (`admin_area` but not `admin_area_public`, regular expressions), a successful WordPress login
-- (WordPress answers it with a redirect, a failed one with the form again). Counted per visitor
-- by the build, and kept here for SQL users too.
create or replace macro admin_evidence(
    remote_user, method, path, query, status, is_asset, admin_area, admin_area_public, login_path
) as struct_pack(
    authenticated := remote_user is not null and status between 200 and 399,
    admin_area := status between 200 and 299
        and not is_asset
        and regexp_matches(path, admin_area)
        and not regexp_matches(path, admin_area_public),
    logged_in := method = 'POST' and status = 302 and query is null
        and regexp_matches(path, login_path)
)
