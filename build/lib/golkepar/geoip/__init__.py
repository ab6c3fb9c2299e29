"""GeoIP and ASN databases: keep them fresh (`update`) and read them (`lookup`)."""
