"""The `whyno` command line: thin adapters over the Python API."""

from whyno.cli.app import app, main

__all__ = ["app", "main"]
