"""The team server: a FastAPI app (pages and a REST API) over the same core as the CLI."""

from whyno.web.app import create_app

__all__ = ["create_app"]
