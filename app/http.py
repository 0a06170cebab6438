"""The GraphQL endpoint over HTTP, following the GraphQL-over-HTTP conventions.

``application/graphql-response+json`` is served when the client accepts it, and
then a request that fails before execution (parse or validation) answers 400;
plain ``application/json`` answers 200 with the errors, as the spec asks.
"""

from __future__ import annotations

from typing import Any

from cross_web import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse

from resolvers.context import RequestContext, Services

GRAPHQL_RESPONSE = "application/graphql-response+json"


class GraphQLEndpoint(GraphQL[RequestContext, None]):
    """Strawberry's ASGI view with our context and media-type negotiation."""

    def __init__(self, schema: Any, services_ref: dict[str, Services], **kwargs: Any):
        super().__init__(schema, **kwargs)
        self._services_ref = services_ref

    def parse_json(self, data: str | bytes) -> Any:
        parsed = super().parse_json(data)
        # strawberry assumes an object (or a batch list); anything else would 500.
        if not isinstance(parsed, dict | list):
            raise HTTPException(
                400, "the request body must be a JSON object with a 'query' member"
            )
        return parsed

    async def get_context(self, request: Any, response: Any) -> RequestContext:
        return RequestContext(
            services=self._services_ref["services"], request=request, response=response
        )

    def create_response(
        self,
        response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse],
        sub_response: Response,
    ) -> Response:
        response = super().create_response(response_data, sub_response)
        request: Request | None = getattr(sub_response, "_bigone_request", None)
        accept = request.headers.get("accept", "") if request else ""
        if GRAPHQL_RESPONSE in accept:
            response.headers["content-type"] = GRAPHQL_RESPONSE
            if _failed_before_execution(response_data):
                response.status_code = 400
        return response

    async def get_sub_response(self, request: Any) -> Response:
        sub_response = await super().get_sub_response(request)
        sub_response._bigone_request = request  # type: ignore[attr-defined]
        return sub_response


def _failed_before_execution(
    data: GraphQLHTTPResponse | list[GraphQLHTTPResponse],
) -> bool:
    if isinstance(data, list):
        return False
    return "data" not in data or (data.get("data") is None and bool(data.get("errors")))
