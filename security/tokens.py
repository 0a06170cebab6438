"""JWT bearer tokens: HS256 with a shared secret, or RS256 with keys from a JWKS file."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jwt

from security.errors import AuthenticationError
from security.principal import Principal, parse_roles


@dataclass(frozen=True)
class TokenSettings:
    """How tokens are checked and which claims carry roles and the agency."""

    secret: str | None = None
    jwks: dict[str, Any] | None = None
    issuer: str | None = None
    audience: str | None = None
    roles_claim: str = "roles"
    agency_claim: str = "agency"
    leeway_seconds: int = 30


def load_jwks(path: Path) -> dict[str, Any]:
    """The JWKS document at ``path``; raises ``ValueError`` naming the file."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise ValueError(f"cannot read the JWKS file {path}: {error}") from error
    if not isinstance(document, dict) or not document.get("keys"):
        raise ValueError(f"the JWKS file {path} has no 'keys' list")
    return document


class TokenVerifier:
    """Turns a bearer token into a ``Principal``. Safe to share between tasks."""

    def __init__(self, settings: TokenSettings) -> None:
        self._settings = settings
        self._keys = jwt.PyJWKSet.from_dict(settings.jwks) if settings.jwks else None

    @property
    def enabled(self) -> bool:
        return bool(self._settings.secret or self._keys)

    def verify(self, token: str) -> Principal:
        """The principal of ``token``; raises ``AuthenticationError`` when invalid."""
        claims = self._decode(token)
        roles = _roles_of(claims, self._settings.roles_claim)
        agency = claims.get(self._settings.agency_claim)
        if agency is not None and not isinstance(agency, str):
            raise AuthenticationError(
                f"the token's {self._settings.agency_claim!r} claim must be a "
                f"string (an agency slug), got {type(agency).__name__}"
            )
        subject = str(claims.get("sub") or "")
        if not subject:
            raise AuthenticationError("the token has no 'sub' claim")
        reserved = {"sub", "exp", "iat", "nbf", "iss", "aud", "jti"}
        attributes = {
            key: value
            for key, value in claims.items()
            if key not in reserved and isinstance(value, str | int | float)
        }
        try:
            return Principal(
                subject=f"jwt:{subject}",
                roles=roles,
                agency=str(agency) if agency else None,
                attributes=attributes,
                via="jwt",
            )
        except ValueError as error:
            raise AuthenticationError(
                f"the token's claims are not usable: {error}"
            ) from error

    def _decode(self, token: str) -> dict[str, Any]:
        key, algorithms = self._key_for(token)
        options = {
            "require": ["exp", "sub"],
            "verify_aud": bool(self._settings.audience),
        }
        try:
            return jwt.decode(
                token,
                key,
                algorithms=algorithms,
                audience=self._settings.audience,
                issuer=self._settings.issuer,
                leeway=self._settings.leeway_seconds,
                options=options,  # type: ignore[arg-type]
            )
        except jwt.ExpiredSignatureError as error:
            raise AuthenticationError("the token has expired") from error
        except jwt.PyJWTError as error:
            raise AuthenticationError(f"the token is not valid: {error}") from error

    def _key_for(self, token: str) -> tuple[Any, list[str]]:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as error:
            raise AuthenticationError(f"the token is not a JWT: {error}") from error
        algorithm = header.get("alg")
        if algorithm == "HS256" and self._settings.secret:
            return self._settings.secret, ["HS256"]
        if algorithm == "RS256" and self._keys is not None:
            return self._jwk(header.get("kid")), ["RS256"]
        raise AuthenticationError(
            f"tokens signed with {algorithm!r} are not accepted here"
        )

    def _jwk(self, kid: str | None) -> Any:
        assert self._keys is not None
        if kid is None and len(self._keys.keys) == 1:
            return self._keys.keys[0].key
        try:
            return self._keys[str(kid)].key
        except KeyError as error:
            raise AuthenticationError(f"no key {kid!r} in the JWKS") from error


def _roles_of(claims: dict[str, Any], claim: str) -> frozenset[str]:
    """Roles from the claim: a list of strings or one comma/space-separated string."""
    value = claims.get(claim)
    valid = (
        value is None
        or isinstance(value, str)
        or (isinstance(value, list) and all(isinstance(item, str) for item in value))
    )
    if not valid:
        raise AuthenticationError(
            f"the token's {claim!r} claim must be a list of role names or a "
            f"string, got {type(value).__name__}"
        )
    return parse_roles(value)
