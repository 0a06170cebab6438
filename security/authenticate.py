"""Authenticating a request from its headers: API key, JWT bearer token, or anonymous."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from security.errors import AuthenticationError
from security.keys import ApiKeyVerifier, is_api_key
from security.principal import ANONYMOUS, Principal
from security.tokens import TokenVerifier


@dataclass(frozen=True)
class Authentication:
    principal: Principal
    rate_limit_per_minute: int | None = None


class Authenticator:
    """Reads ``Authorization: Bearer ...`` or ``X-API-Key``. Safe to share."""

    def __init__(
        self,
        keys: ApiKeyVerifier,
        tokens: TokenVerifier,
        *,
        allow_anonymous: bool = True,
        anonymous: Principal = ANONYMOUS,
    ) -> None:
        self._keys = keys
        self._tokens = tokens
        self._allow_anonymous = allow_anonymous
        self._anonymous = anonymous

    async def authenticate(self, headers: Mapping[str, str]) -> Authentication:
        """Who sent these headers; raises ``AuthenticationError`` when credentials fail."""
        api_key = headers.get("x-api-key", "").strip()
        if api_key:
            return await self._api_key(api_key)
        token = _bearer(headers)
        if token is None:
            if not self._allow_anonymous:
                raise AuthenticationError(
                    "this endpoint needs credentials: send 'Authorization: Bearer "
                    "<token>' or 'X-API-Key: <key>'"
                )
            return Authentication(self._anonymous)
        if is_api_key(token):
            return await self._api_key(token)
        if not self._tokens.enabled:
            raise AuthenticationError(
                "bearer tokens are not configured on this server; use an API key"
            )
        return Authentication(self._tokens.verify(token))

    async def _api_key(self, key: str) -> Authentication:
        if not is_api_key(key):
            raise AuthenticationError(
                "the API key is not known here (keys read 'bo_<prefix>_<secret>'; "
                "an administrator creates them with 'bigone keys create')"
            )
        grant = await self._keys.verify(key)
        return Authentication(grant.principal, grant.rate_limit_per_minute)


def _bearer(headers: Mapping[str, str]) -> str | None:
    authorization = headers.get("authorization", "").strip()
    if not authorization:
        return None
    scheme, _, value = authorization.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        raise AuthenticationError("the Authorization header must read 'Bearer <token>'")
    return value.strip()
