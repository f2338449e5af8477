"""Where the dashboard's files come from: our own static files, and the npm packages they use.

Third-party assets are installed by ``make install`` (``npm ci`` in ``src/strikewatch/web``), never
fetched from a CDN at run time, so the dashboard and ``/docs`` work offline. Only a fixed list of files
from ``node_modules`` is served.
"""

from __future__ import annotations

from pathlib import Path

WEB_DIR = Path(__file__).resolve().parent.parent / "web"
STATIC_DIR = WEB_DIR / "static"
NODE_MODULES = WEB_DIR / "node_modules"

# URL path under /vendor/ -> file under node_modules. Nothing else from node_modules is reachable.
VENDOR_FILES: dict[str, str] = {
    "leaflet/leaflet.js": "leaflet/dist/leaflet.js",
    "leaflet/leaflet.css": "leaflet/dist/leaflet.css",
    "leaflet/images/marker-icon.png": "leaflet/dist/images/marker-icon.png",
    "leaflet/images/marker-icon-2x.png": "leaflet/dist/images/marker-icon-2x.png",
    "leaflet/images/marker-shadow.png": "leaflet/dist/images/marker-shadow.png",
    "leaflet/images/layers.png": "leaflet/dist/images/layers.png",
    "leaflet/images/layers-2x.png": "leaflet/dist/images/layers-2x.png",
    "markercluster/leaflet.markercluster.js": "leaflet.markercluster/dist/leaflet.markercluster.js",
    "markercluster/MarkerCluster.css": "leaflet.markercluster/dist/MarkerCluster.css",
    "markercluster/MarkerCluster.Default.css": "leaflet.markercluster/dist/MarkerCluster.Default.css",
    "topojson-client/topojson-client.min.js": "topojson-client/dist/topojson-client.min.js",
    "world-atlas/countries-50m.json": "world-atlas/countries-50m.json",
}


def vendor_path(name: str) -> Path | None:
    """The installed file behind ``/vendor/<name>``, or None when unknown or not installed."""
    rel = VENDOR_FILES.get(name)
    if rel is None:
        return None
    path = NODE_MODULES / rel
    return path if path.is_file() else None


def missing_vendor_files() -> list[str]:
    """npm files the dashboard needs that are not installed (the fix: ``make install``)."""
    return [rel for rel in VENDOR_FILES.values() if not (NODE_MODULES / rel).is_file()]


def swagger_dir() -> Path | None:
    """The Swagger UI files: npm's ``swagger-ui-dist`` (v5 reads the OpenAPI 3.1 FastAPI writes), else
    the ``swagger-ui-bundle`` wheel's older copy."""
    npm = NODE_MODULES / "swagger-ui-dist"
    if (npm / "swagger-ui-bundle.js").is_file():
        return npm
    try:
        import swagger_ui_bundle
    except ImportError:
        return None
    path = Path(swagger_ui_bundle.swagger_ui_path)
    return path if (path / "swagger-ui-bundle.js").is_file() else None
