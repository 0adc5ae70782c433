"""Accounts for the team server: teams, users, roles, API tokens and what each may see."""

from whyno.accounts.scope import Scope
from whyno.accounts.users import (
    AuthUser,
    add_user,
    authenticate,
    create_token,
    user_for_token,
)

__all__ = ["AuthUser", "Scope", "add_user", "authenticate", "create_token", "user_for_token"]
