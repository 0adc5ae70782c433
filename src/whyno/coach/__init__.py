"""Conversation review: who said no, why, and how the seller handled it."""
