"""Country names and codes as sanctions lists write them, to ISO 3166-1 alpha-2."""

from __future__ import annotations

from functools import lru_cache

import pycountry

# Names lists use that pycountry's lookup does not know.
_OTHER_NAMES = {
    "russia": "RU", "dprk": "KP", "north korea": "KP", "korea, north": "KP", "south korea": "KR", "korea, south": "KR",
    "burma": "MM", "turkey": "TR", "uk": "GB", "great britain": "GB", "uae": "AE", "iran (islamic republic of)": "IR",
    "syria": "SY", "laos": "LA", "moldova": "MD", "bolivia": "BO", "tanzania": "TZ", "venezuela": "VE",
    "vietnam": "VN", "viet nam": "VN", "macau": "MO", "macao": "MO", "kosovo": "XK", "palestine": "PS",
    "democratic republic of the congo": "CD", "congo, democratic republic of the": "CD", "ivory coast": "CI",
    "crimea": "UA", "region: crimea": "UA", "usa": "US", "united states of america": "US",
}


@lru_cache(maxsize=4096)
def country_code(value: str) -> str | None:
    """The alpha-2 code for a country name or code ("Russia", "RUSSIAN FEDERATION", "ru", "RUS"), or None."""
    text = " ".join(value.split()).strip(" .")
    if not text:
        return None
    known = _OTHER_NAMES.get(text.lower())
    if known:
        return known
    try:
        return pycountry.countries.lookup(text).alpha_2
    except LookupError:
        return None


def country_codes(values: list[str]) -> tuple[str, ...]:
    """The codes of `values` that name a country, in first-seen order without repeats."""
    codes: dict[str, None] = {}
    for value in values:
        code = country_code(value)
        if code:
            codes.setdefault(code, None)
    return tuple(codes)
