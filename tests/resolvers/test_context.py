"""Who a curating mutation records: the principal, and only a steward or admin."""

from __future__ import annotations

from typing import Any, cast

import pytest

from resolvers.context import RequestContext, Services
from security.errors import AccessDeniedError
from security.principal import ANONYMOUS, Principal

# get_curator reads only whether security is configured and who the principal is.
SECURED = Services(
    engine=cast(Any, None),
    sessions=cast(Any, None),
    graph=cast(Any, None),
    embedder=cast(Any, None),
    security=cast(Any, object()),
)


@pytest.mark.parametrize("roles", [set(), {"analyst"}, {"agency"}])
def test_only_stewards_and_admins_curate(roles: set[str]) -> None:
    principal = (
        Principal("jwt:x", frozenset(roles), agency="dinkes") if roles else ANONYMOUS
    )

    with pytest.raises(AccessDeniedError):
        RequestContext(SECURED, principal=principal).get_curator("walidata")


def test_the_principal_is_recorded_and_the_typed_name_kept_as_a_label() -> None:
    steward = RequestContext(
        SECURED, principal=Principal("jwt:ani", frozenset({"steward"}))
    )
    admin = RequestContext(
        SECURED, principal=Principal("key:ab12", frozenset({"admin"}))
    )

    assert steward.get_curator("budi") == "jwt:ani (budi)"
    assert steward.get_curator(None) == steward.get_curator("jwt:ani") == "jwt:ani"
    assert admin.get_curator("  ") == "key:ab12"
