"""A private channel for the subscription tests (defined per test, in its own registry)."""

from __future__ import annotations

from pydantic import BaseModel

from mizan_gql import ReactChannel


def private_channel() -> type[ReactChannel]:
    """A fresh ``accountInbox`` channel that only signed-in users may subscribe to."""

    class AccountInbox(ReactChannel):
        class DjangoMessage(BaseModel):
            text: str

        def authorize(self, params: object) -> bool:
            return bool(self.user.is_authenticated)

        def group(self, params: object) -> str:
            return "inbox"

    return AccountInbox
