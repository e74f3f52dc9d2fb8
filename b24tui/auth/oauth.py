"""OAuth tokens that rotate: every renewed pair is saved to the store at once.

Bitrix24 returns a new refresh token with every renewal and the old one stops working,
so a renewed pair that is not saved before the next crash logs the person out. The
exchange with the token server is done by the wrapped refresher; this wrapper only
makes sure its result lands in the credential store before the client uses it.
"""

from __future__ import annotations

import asyncio
import logging

from b24tui.api import OAuthToken, TokenRefresher
from b24tui.auth.store import CredentialStore, OAuthCredential

__all__ = ["SavingTokenRefresher"]

log = logging.getLogger(__name__)


class SavingTokenRefresher:
    """A :class:`~b24tui.api.TokenRefresher` that stores each rotated token pair.

    Args:
        renew: does the exchange with the token server.
        store: where the profile's credential lives (the keyring).
        profile: the profile the credential belongs to.
        credential: the stored credential (keeps the app's id and secret).
    """

    def __init__(
        self,
        renew: TokenRefresher,
        store: CredentialStore,
        profile: str,
        credential: OAuthCredential,
    ) -> None:
        self._renew = renew
        self._store = store
        self._profile = profile
        self.credential = credential
        """The credential as last saved."""

    async def __call__(self, expired: OAuthToken) -> OAuthToken:
        """Renew ``expired`` and save the new pair before returning it.

        Raises:
            StoreError: the new pair could not be saved (the old one no longer works).
        """
        fresh = await self._renew(expired)
        updated = self.credential.with_token(fresh)
        await asyncio.to_thread(self._store.save, self._profile, updated)
        self.credential = updated
        log.info("saved the renewed OAuth token for profile %r", self._profile)
        return fresh

    def __repr__(self) -> str:
        return f"SavingTokenRefresher(profile={self._profile!r})"
