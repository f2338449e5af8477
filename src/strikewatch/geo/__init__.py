"""geo stage: resolve place expressions against a village-level gazetteer of Syria and Iraq.

``geocode(query, country=None, limit=5)`` gives ranked candidates; ``locate(expression, country=None,
context=None)`` gives one ``records.Location`` (fields None when unresolved). The gazetteer is loaded
once per process; see docs/geocoding.md.
"""

from strikewatch.geo.gazetteer import Gazetteer, Place, default_gazetteer, read_user_csv
from strikewatch.geo.keys import fold, key, skeleton
from strikewatch.geo.resolve import Candidate, geocode, geocode_noted, locate, parse

__all__ = [
    "Candidate", "Gazetteer", "Place", "default_gazetteer", "fold", "geocode", "geocode_noted", "key",
    "locate", "parse", "read_user_csv", "skeleton",
]
