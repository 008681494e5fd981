"""Places too large to identify anyone (:mod:`qualseg.privacy.detect` leaves them unreplaced)."""

from __future__ import annotations

from qualseg.ingest.names import word_set

# Places of state size or larger: not identifying on their own (HIPAA Safe Harbor keeps states).
LARGE_PLACES = frozenset(
    word_set(
        """
    Alabama Alaska Arizona Arkansas California Colorado Connecticut Delaware Florida Georgia Hawaii
    Idaho Illinois Indiana Iowa Kansas Kentucky Louisiana Maine Maryland Massachusetts Michigan
    Minnesota Mississippi Missouri Montana Nebraska Nevada Ohio Oklahoma Oregon Pennsylvania
    Tennessee Texas Utah Vermont Virginia Washington Wisconsin Wyoming Alberta Ontario Quebec
    Manitoba Saskatchewan Bavaria Scotland Wales England Ireland Canada Mexico Brazil Argentina
    Chile Colombia Peru Germany France Spain Portugal Italy Netherlands Belgium Switzerland Austria
    Sweden Norway Denmark Finland Poland Greece Turkey Israel Egypt Nigeria Kenya India China
    Japan Korea Taiwan Singapore Australia Zealand Philippines Indonesia Vietnam Thailand Russia
    Ukraine Europe Asia Africa America Americas Oceania Scandinavia Midwest Northwest Northeast
    Southwest Southeast UK US USA EU UAE
    """
    )
) | frozenset(
    [
        "New York State",
        "New Jersey",
        "New Mexico",
        "New Hampshire",
        "North Carolina",
        "South Carolina",
        "North Dakota",
        "South Dakota",
        "Rhode Island",
        "West Virginia",
        "British Columbia",
        "Nova Scotia",
        "New Zealand",
        "South Korea",
        "United States",
        "United Kingdom",
        "North America",
        "South America",
        "Latin America",
        "Central America",
        "Middle East",
        "Asia-Pacific",
        "West Coast",
        "East Coast",
        "Pacific Northwest",
        "Mountain West",
        "New England",
        "the Midwest",
        "the US",
        "the UK",
        "the EU",
    ]
)
