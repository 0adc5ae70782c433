"""What a person may see: their team's rows, and for a seller only their own deals."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, false

from whyno.store.models import DEFAULT_TEAM_ID, Conversation, Deal, No


@dataclass(frozen=True)
class Scope:
    """A team, and optionally one seller within it (``own_only``: a seller's own deals)."""

    team_id: int = DEFAULT_TEAM_ID
    seller_id: int | None = None
    own_only: bool = False

    def key(self) -> str:
        """A short text key, for caches."""
        return f"t{self.team_id}" + (f"s{self.seller_id}" if self.own_only else "")

    def deals(self) -> Any:
        """Condition on ``Deal``: the deals in scope."""
        condition = Deal.team_id == self.team_id
        return and_(condition, self._seller()) if self.own_only else condition

    def nos(self) -> Any:
        """Condition on ``No`` joined with its ``Deal``: the no's in scope."""
        condition = No.team_id == self.team_id
        return and_(condition, self._seller()) if self.own_only else condition

    def conversations(self) -> Any:
        """Condition on ``Conversation`` outer-joined with its ``Deal``."""
        condition = Conversation.team_id == self.team_id
        return and_(condition, self._seller()) if self.own_only else condition

    def _seller(self) -> Any:
        return false() if self.seller_id is None else Deal.seller_id == self.seller_id
