"""The read-only REST API and the dashboard's web server: ``create_app(db_url)`` gives a FastAPI app."""

from strikewatch.api.app import create_app

__all__ = ["create_app"]
