"""qualseg: find needs-based segments in customer interviews, with the customers' own words."""

from __future__ import annotations

__version__ = "0.1.0"
