"""The GraphQL endpoint over HTTP, following the GraphQL-over-HTTP conventions.

``application/graphql-response+json`` is served when the client accepts it, and
then a request that fails before execution (parse or validation) answers 400;
plain ``application/json`` answers 200 with the errors, as the spec asks.

Before strawberry sees a request, the endpoint authenticates it (401 when
credentials fail) and applies the caller's rate limit (429). Each operation
then runs against the schema of the caller's visibility profile, within the
request timeout; allow-list mode refuses unlisted documents, and requests that
touched restricted datasets are written to the audit trail.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from decimal import Decimal
from typing import Any

import orjson
from cross_web import HTTPException
from graphql import GraphQLError
from sqlalchemy.exc import SQLAlchemyError
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.types import Message, Receive, Scope, Send
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse
from strawberry.schema.exceptions import (
    CannotGetOperationTypeError,
    InvalidOperationTypeError,
)
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType

from app.deadlines import Deadlines
from app.observability import Metrics
from resolvers.context import RequestContext, Services
from schema.plan import find_plan, run_plan, within_limits
from schema.visibility import SchemaFactory, SchemaVariants
from security.access_index import AccessIndex
from security.audit import record_access
from security.errors import (
    AccessDeniedError,
    AuthenticationError,
    QueryRejectedError,
    RateLimitedError,
)
from security.persisted import requested_hash
from security.principal import ANONYMOUS, Principal
from security.service import SecurityServices
from store.errors import StoreError

GRAPHQL_RESPONSE = "application/graphql-response+json"
EMPTY_INDEX = AccessIndex({})
logger = logging.getLogger(__name__)


class GraphQLEndpoint(GraphQL[RequestContext, None]):
    """Strawberry's ASGI view with our context, security and media-type negotiation."""

    def __init__(
        self,
        variants: SchemaVariants,
        services_ref: dict[str, Services],
        metrics: Metrics | None = None,
        **kwargs: Any,
    ):
        super().__init__(variants.full, subscription_protocols=(), **kwargs)
        self._variants = variants
        self._services_ref = services_ref
        self._metrics = metrics
        # Compiled plans answer the common documents (schema.plan); tests turn
        # them off to compare both paths.
        self.plans_enabled = True
        self._deadlines = Deadlines()

    def use_schema(self, factory: SchemaFactory) -> None:
        """Serve schemas built by ``factory`` from now on (sources changed)."""
        self._variants = SchemaVariants(factory)
        self.schema = self._variants.full

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            # No subscriptions: a websocket is refused before any work.
            await send({"type": "websocket.close", "code": 1008})
            return
        request = Request(scope, receive)
        refusal = await self._admit(request)
        if refusal is not None:
            await refusal(scope, receive, send)
            return
        if self.plans_enabled and _is_json_post(request):
            # The body is parsed once: served by a plan, or replayed to strawberry.
            body = await _read_body(receive)
            response = await self._serve_plan(request, body)
            if response is not None:
                await response(scope, receive, send)
                return
            request.state.bigone_plan_tried = True
            receive = _replay(body, receive)
        await super().__call__(scope, receive, send)

    async def _serve_plan(self, request: Request, body: bytes) -> Response | None:
        """The response of a JSON POST whose document a plan answers, else None.

        Applies what ``execute_single`` applies: the request timeout, operation
        limits, the policy, error metrics and the audit trail.
        """
        security = self._security()
        data = _request_data(body)
        if data is None or security.persisted_only:
            return None
        context = await self.get_context(request, None)
        started = time.perf_counter()
        try:
            schema = await self.schema_for(context.principal)
            async with self._deadlines.within(security.request_timeout):
                result = await self._run_plan(schema, context, data, security)
        except TimeoutError:
            result = _timeout_failure(security.request_timeout)
        if result is None:
            return None
        self._count_errors(result)
        await self._audit(context, data, result, started, security)
        return self._plan_response(request, result)

    def _plan_response(self, request: Request, result: ExecutionResult) -> Response:
        body: dict[str, Any] = {"data": result.data}
        if result.errors:
            body["errors"] = [error.formatted for error in result.errors]
        status, media_type = 200, "application/json"
        if GRAPHQL_RESPONSE in request.headers.get("accept", ""):
            media_type = GRAPHQL_RESPONSE
            if _failed_before_execution(body):  # type: ignore[arg-type]
                status = 400
        return Response(self.encode_json(body), status, media_type=media_type)

    async def _admit(self, request: Request) -> Response | None:
        security = self._security()
        try:
            auth = await security.authenticator.authenticate(request.headers)
            request.state.principal = auth.principal
            limiter, rate = security.rate_limiter, auth.rate_limit_per_minute
            if limiter.is_limited(rate):
                await limiter.check(_rate_subject(auth.principal, request), rate)
        except AuthenticationError as error:
            return _error_response(401, str(error), "UNAUTHENTICATED", {
                "www-authenticate": 'Bearer realm="bigone"'
            })  # fmt: skip
        except RateLimitedError as error:
            retry = str(max(1, round(error.retry_after)))
            return _error_response(
                429, str(error), "RATE_LIMITED", {"retry-after": retry}
            )
        except (StoreError, SQLAlchemyError, OSError) as error:
            logger.warning("auth.store_unavailable error=%s", type(error).__name__)
            return _error_response(
                503, "API keys cannot be checked now: the store does not answer",
                "STORE_UNAVAILABLE", {"retry-after": "5"},
            )  # fmt: skip
        return None

    def decode_json(self, data: str | bytes) -> object:
        # orjson's decode error subclasses json.JSONDecodeError, which the view maps to 400.
        return orjson.loads(data)

    def encode_json(self, data: object) -> bytes:
        # A 100-row page is tens of kilobytes; orjson encodes it several times faster.
        return orjson.dumps(data, default=_encode_extra, option=orjson.OPT_NON_STR_KEYS)

    def parse_json(self, data: str | bytes) -> Any:
        parsed = super().parse_json(data)
        # strawberry assumes an object (or a batch list); anything else would 500.
        if not isinstance(parsed, dict | list):
            raise HTTPException(
                400, "the request body must be a JSON object with a 'query' member"
            )
        return parsed

    async def get_context(self, request: Any, response: Any) -> RequestContext:
        state = getattr(request, "state", None)
        return RequestContext(
            services=self._services_ref["services"],
            request=request,
            response=response,
            principal=getattr(state, "principal", ANONYMOUS),
            request_id=getattr(state, "request_id", ""),
        )

    async def execute_single(
        self,
        request: Any,
        request_adapter: Any,
        sub_response: Any,
        context: RequestContext,
        root_value: Any,
        request_data: Any,
    ) -> ExecutionResult:
        security = self._security()
        started = time.perf_counter()
        result = await self._run(
            request_adapter.method, context, root_value, request_data, security
        )
        self._count_errors(result)
        await self._audit(context, request_data, result, started, security)
        return result

    async def _run(
        self,
        method: str,
        context: RequestContext,
        root_value: Any,
        request_data: Any,
        security: SecurityServices,
    ) -> ExecutionResult:
        allowed = OperationType.from_http(method)  # type: ignore[arg-type]
        try:
            if security.persisted_only and security.persisted is not None:
                query = security.persisted.resolve(
                    request_data.query, request_data.extensions
                )
                request_data = dataclasses.replace(request_data, query=query)
            elif not request_data.query:
                missing = _missing_query(request_data.extensions, security)
                if isinstance(missing, ExecutionResult):
                    _set_status(context, 400)
                    return missing
                request_data = dataclasses.replace(request_data, query=missing)
            schema = await self.schema_for(context.principal)
            async with self._deadlines.within(security.request_timeout):
                planned = await self._run_plan(schema, context, request_data, security)
                if planned is not None:
                    return planned
                self._count_path("schema")
                result: ExecutionResult = await schema.execute(
                    request_data.query,
                    root_value=root_value,
                    variable_values=request_data.variables,
                    context_value=context,
                    operation_name=request_data.operation_name,
                    allowed_operation_types=allowed,
                    operation_extensions=request_data.extensions,
                )
            return result
        except QueryRejectedError as error:
            return _failure(str(error), "OPERATION_LIMIT")
        except TimeoutError:
            return _timeout_failure(security.request_timeout)
        except CannotGetOperationTypeError as error:
            raise HTTPException(400, error.as_http_error_reason()) from error
        except InvalidOperationTypeError as error:
            raise HTTPException(400, error.as_http_error_reason(method)) from error

    async def _run_plan(
        self,
        schema: Any,
        context: RequestContext,
        request_data: Any,
        security: SecurityServices,
    ) -> ExecutionResult | None:
        """The result of the document's compiled plan, or None to execute it
        normally. The operation limits are checked first, as the schema does."""
        if not self.plans_enabled or not isinstance(request_data.query, str):
            return None
        state = getattr(context.request, "state", None)
        if getattr(state, "bigone_plan_tried", False):
            return None  # _serve_plan tried this request already
        plan = find_plan(
            schema,
            request_data.query,
            request_data.operation_name,
            security.limits.max_tokens,
        )
        if plan is None:
            return None
        if not within_limits(plan, schema._schema, security.limits, request_data):
            return None  # the schema's path rejects it with its own message
        context.operation_name = plan.operation_name
        data = await run_plan(plan, context, request_data.variables)
        if data is None:
            return None
        self._count_path("plan")
        return ExecutionResult(data=data, errors=None)

    def _count_path(self, path: str) -> None:
        if self._metrics is not None:
            self._metrics.series(self._metrics.graphql_operations, path).inc()

    async def schema_for(self, principal: Principal) -> Any:
        """The schema ``principal`` is served: fields it may not use are absent."""
        security = self._security()
        index = (
            await security.access.get() if self._variants.needs_index else EMPTY_INDEX
        )
        return await self._variants.for_principal(principal, security.policy, index)

    def _count_errors(self, result: ExecutionResult) -> None:
        if self._metrics is None:
            return
        for error in result.errors or ():
            kind = _error_kind(error)
            self._metrics.series(self._metrics.graphql_errors, kind).inc()

    async def _audit(
        self,
        context: RequestContext,
        request_data: Any,
        result: ExecutionResult,
        started: float,
        security: SecurityServices,
    ) -> None:
        if not security.audit_enabled or not context.access_log.needs_audit:
            return
        codes = {(e.extensions or {}).get("code") for e in result.errors or ()}
        outcome = (
            "timeout" if "TIMEOUT" in codes else "error" if result.errors else "ok"
        )
        await record_access(
            context.services.sessions,
            context.principal,
            context.access_log,
            outcome=outcome,
            operation=context.operation_name or request_data.operation_name,
            request_id=context.request_id,
            duration_ms=round((time.perf_counter() - started) * 1000),
        )

    def _security(self) -> SecurityServices:
        security = self._services_ref["services"].security
        assert security is not None, "open_services always creates security services"
        return security

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


def _rate_subject(principal: Principal, request: Request) -> str:
    if not principal.is_anonymous:
        return principal.subject
    client = request.client.host if request.client else "unknown"
    return f"anonymous:{client}"


def _error_response(
    status: int, message: str, code: str, headers: dict[str, str]
) -> Response:
    body = {"errors": [{"message": message, "extensions": {"code": code}}]}
    return JSONResponse(body, status_code=status, headers=headers)


def _timeout_failure(seconds: float) -> ExecutionResult:
    return _failure(
        f"the request took longer than {seconds:g} s and was stopped; "
        "ask for less data",
        "TIMEOUT",
    )


@dataclasses.dataclass(frozen=True)
class PlanRequest:
    """The members of a GraphQL-over-HTTP JSON body a plan needs."""

    query: str
    variables: dict[str, Any] | None
    operation_name: str | None


def _is_json_post(request: Request) -> bool:
    if request.method != "POST":
        return False
    media_type = request.headers.get("content-type", "").split(";", 1)[0]
    return media_type.strip().lower() == "application/json"


def _request_data(body: bytes) -> PlanRequest | None:
    """The request of a well-formed single-operation body; None leaves any
    other body (a batch, bad JSON, bad members) to strawberry's checks."""
    try:
        parsed = orjson.loads(body)
    except orjson.JSONDecodeError:
        return None
    if not isinstance(parsed, dict):
        return None
    query = parsed.get("query")
    variables = parsed.get("variables")
    name = parsed.get("operationName")
    if (
        not isinstance(query, str)
        or not isinstance(variables, dict | None)
        or not isinstance(name, str | None)
        or parsed.get("extensions") is not None
    ):
        return None
    return PlanRequest(query, variables, name)


async def _read_body(receive: Receive) -> bytes:
    """The request body, read straight from ASGI (``Request.body`` goes through
    a stream generator per chunk); raises ``ClientDisconnect`` as it does."""
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ClientDisconnect()
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    """``receive`` with the already read body handed out once more."""
    pending = True

    async def replayed() -> Message:
        nonlocal pending
        if pending:
            pending = False
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replayed


def _missing_query(
    extensions: dict[str, Any] | None, security: SecurityServices
) -> str | ExecutionResult:
    """The listed document of a hash-only (Apollo APQ) request, or the failure
    to answer a request that carries no document."""
    digest = requested_hash(extensions)
    if digest is None:
        return _failure(
            "no GraphQL query found in the request: send the document as 'query' "
            "(a JSON body member, or the query string of a GET)",
            "BAD_REQUEST",
        )
    document = security.persisted.find(digest) if security.persisted else None
    if document is None:
        # Apollo's message and code: its clients then resend with the document.
        return _failure("PersistedQueryNotFound", "PERSISTED_QUERY_NOT_FOUND")
    return document


def _set_status(context: RequestContext, status: int) -> None:
    response = context.response
    if isinstance(response, Response):
        response.status_code = status


def _failure(message: str, code: str) -> ExecutionResult:
    error = GraphQLError(message, extensions={"code": code})
    return ExecutionResult(data=None, errors=[error])


def _error_kind(error: GraphQLError) -> str:
    code = (error.extensions or {}).get("code")
    if code in ("OPERATION_LIMIT", "TIMEOUT"):
        return str(code).lower()
    original = error.original_error
    if isinstance(original, AccessDeniedError):
        return "denied"
    if original is None or isinstance(original, GraphQLError):
        return "invalid"
    return "failed"


def _failed_before_execution(
    data: GraphQLHTTPResponse | list[GraphQLHTTPResponse],
) -> bool:
    if isinstance(data, list):
        return False
    return "data" not in data or (data.get("data") is None and bool(data.get("errors")))


def _encode_extra(value: object) -> object:
    # Rows in JSON scalars (a linked record's row) carry the source's types:
    # a NUMERIC column arrives as Decimal, written as an exact string like Money.
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"Type is not JSON serializable: {type(value).__name__}")
