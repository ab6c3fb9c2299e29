"""Country names for ISO 3166 codes, as people say them: the report and Superset both show them."""

from __future__ import annotations

from functools import cache

import pycountry

# Names shorter than ISO's formal ones ("Iran, Islamic Republic of"), as people say them.
_COMMON_NAMES = {
    "GB": "United Kingdom",
    "US": "United States",
    "RU": "Russia",
    "KR": "South Korea",
    "KP": "North Korea",
    "IR": "Iran",
    "VN": "Vietnam",
    "TW": "Taiwan",
    "SY": "Syria",
    "BO": "Bolivia",
    "VE": "Venezuela",
    "TZ": "Tanzania",
    "MD": "Moldova",
    "LA": "Laos",
    "CZ": "Czechia",
    "NL": "Netherlands",
}


@cache
def country_names() -> dict[str, str]:
    """ISO 3166 alpha-2 code -> the country's common name."""
    names = {
        country.alpha_2: str(getattr(country, "common_name", None) or country.name)
        for country in pycountry.countries
    }
    return names | _COMMON_NAMES


def country_name(code: str | None) -> str:
    """`FR` -> `France`; a missing code is said plainly, an unknown one is kept as it is."""
    if not code:
        return "Unknown location"
    return country_names().get(code.upper(), code)
