"""The store: one object that owns its engine and migrates on open."""

from whyno.store.engine import make_engine
from whyno.store.store import Store

__all__ = ["Store", "make_engine"]
