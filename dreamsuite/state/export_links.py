"""Where the export routes answer for a range (and platform): the links of the Export menu."""

from __future__ import annotations

from urllib.parse import urlencode


def export_links(api_url: str, start: str = "", end: str = "", platform: str = "") -> dict[str, str]:
    """{"csv", "json", "report"} for this range (ISO dates) and, optionally, one platform."""
    query = urlencode({k: v for k, v in (("start", start), ("end", end), ("platform", platform)) if v})
    tail = f"?{query}" if query else ""
    return {"csv": f"{api_url}/export/dashboard.csv{tail}", "json": f"{api_url}/export/dashboard.json{tail}",
            "report": f"{api_url}/report{tail}"}
