"""Operation limits: depth, aliases, root fields and estimated cost, before execution.

The analysis walks the operation as it would execute, expanding fragment spreads
and inline fragments, so a limit cannot be dodged by hiding fields in fragments;
a fragment that spreads itself (directly or not) is rejected. The estimated cost
follows demand-control practice: each object field costs its weight (1 unless
configured), scalars cost nothing, and everything below a list is multiplied by
the list's size, read from ``first``/``last``/``limit`` (literal or variable) or
a default. Token limits are applied by the parser itself (``max_tokens``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLList,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    get_nullable_type,
)

from security.errors import QueryRejectedError

SLICING_ARGUMENTS = ("first", "last", "limit")
SIZED_CHILDREN = frozenset({"edges", "nodes", "items", "rows"})
MAX_STEPS = 100_000


@dataclass(frozen=True)
class QueryLimits:
    """Limits of one operation; each can be set in the settings."""

    max_depth: int = 12
    max_aliases: int = 30
    max_root_fields: int = 20
    max_tokens: int = 4000
    max_cost: int = 50_000
    max_page_size: int = 1000
    default_list_size: int = 100
    field_costs: Mapping[str, int] = field(default_factory=dict)


@dataclass
class OperationAnalysis:
    """What the walk measured; ``problems`` is empty when the operation is within limits."""

    depth: int = 0
    aliases: int = 0
    root_fields: int = 0
    cost: int = 0
    problems: list[str] = field(default_factory=list)

    def reject_once(self, message: str) -> None:
        if message not in self.problems:
            self.problems.append(message)


def check_operation(
    schema: GraphQLSchema,
    document: DocumentNode,
    limits: QueryLimits,
    *,
    operation_name: str | None = None,
    variables: Mapping[str, Any] | None = None,
) -> OperationAnalysis:
    """Measure the operation; raise ``QueryRejectedError`` listing every broken limit."""
    analysis = analyse_operation(
        schema, document, limits, operation_name=operation_name, variables=variables
    )
    if analysis.problems:
        raise QueryRejectedError(analysis.problems)
    return analysis


def analyse_operation(
    schema: GraphQLSchema,
    document: DocumentNode,
    limits: QueryLimits,
    *,
    operation_name: str | None = None,
    variables: Mapping[str, Any] | None = None,
) -> OperationAnalysis:
    """Measure the selected operation of ``document`` without raising."""
    walker = _Walker(schema, document, limits, variables or {})
    operation = _select_operation(document, operation_name)
    if operation is None:
        return walker.analysis
    root = schema.get_root_type(operation.operation)
    walker.walk(
        operation.selection_set, root, depth=1, multiplier=1, sized=None, stack=()
    )
    walker.finish()
    return walker.analysis


def _select_operation(
    document: DocumentNode, name: str | None
) -> OperationDefinitionNode | None:
    operations = [
        d for d in document.definitions if isinstance(d, OperationDefinitionNode)
    ]
    if name is None:
        return operations[0] if len(operations) == 1 else None
    return next((op for op in operations if op.name and op.name.value == name), None)


class _Walker:
    def __init__(
        self,
        schema: GraphQLSchema,
        document: DocumentNode,
        limits: QueryLimits,
        variables: Mapping[str, Any],
    ) -> None:
        self.schema = schema
        self.limits = limits
        self.variables = variables
        self.fragments = {
            d.name.value: d
            for d in document.definitions
            if isinstance(d, FragmentDefinitionNode)
        }
        self.analysis = OperationAnalysis()
        self.steps = 0

    def finish(self) -> None:
        a, lim = self.analysis, self.limits
        if a.depth > lim.max_depth:
            a.reject_once(f"query depth {a.depth} exceeds the limit of {lim.max_depth}")
        if a.aliases > lim.max_aliases:
            a.reject_once(f"{a.aliases} aliases exceed the limit of {lim.max_aliases}")
        if a.root_fields > lim.max_root_fields:
            a.reject_once(
                f"{a.root_fields} root fields exceed the limit of {lim.max_root_fields}"
            )
        if a.cost > lim.max_cost:
            a.reject_once(
                f"estimated cost {a.cost} exceeds the limit of {lim.max_cost}; "
                "ask for smaller pages (first/limit) or fewer nested lists"
            )

    def walk(
        self,
        selection_set: SelectionSetNode | None,
        parent: GraphQLNamedType | None,
        *,
        depth: int,
        multiplier: int,
        sized: int | None,
        stack: tuple[str, ...],
    ) -> None:
        if selection_set is None or self._over_budget():
            return
        if depth > self.limits.max_depth + 1:
            # Deeper levels cannot change the verdict: depth is already too big.
            return
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                self._field(selection, parent, depth, multiplier, sized, stack)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                target = (
                    self.schema.get_type(condition.name.value) if condition else parent
                )
                self.walk(
                    selection.selection_set, target,
                    depth=depth, multiplier=multiplier, sized=sized, stack=stack,
                )  # fmt: skip
            elif isinstance(selection, FragmentSpreadNode):
                self._spread(selection, depth, multiplier, sized, stack)

    def _spread(
        self,
        spread: FragmentSpreadNode,
        depth: int,
        multiplier: int,
        sized: int | None,
        stack: tuple[str, ...],
    ) -> None:
        name = spread.name.value
        if name in stack:
            cycle = " -> ".join((*stack[stack.index(name) :], name))
            self.analysis.reject_once(f"fragment cycle is not allowed: {cycle}")
            return
        fragment = self.fragments.get(name)
        if fragment is None:
            self.analysis.reject_once(f"unknown fragment {name!r}")
            return
        target = self.schema.get_type(fragment.type_condition.name.value)
        self.walk(
            fragment.selection_set, target,
            depth=depth, multiplier=multiplier, sized=sized, stack=(*stack, name),
        )  # fmt: skip

    def _field(
        self,
        node: FieldNode,
        parent: GraphQLNamedType | None,
        depth: int,
        multiplier: int,
        sized: int | None,
        stack: tuple[str, ...],
    ) -> None:
        self.steps += 1
        name = node.name.value
        if name.startswith("__"):
            # Introspection is bounded by the schema itself; disabled in production.
            return
        a = self.analysis
        a.depth = max(a.depth, depth)
        a.aliases += 1 if node.alias else 0
        a.root_fields += 1 if depth == 1 else 0
        definition = _field_definition(parent, name)
        if definition is None:
            return
        size = self._slice_size(node)
        returns_list = isinstance(get_nullable_type(definition.type), GraphQLList)
        named = get_named_type(definition.type)
        if returns_list:
            count = size or (sized if name in SIZED_CHILDREN and sized else None)
            multiplier *= count or self.limits.default_list_size
        if node.selection_set is not None:
            weight = self.limits.field_costs.get(
                f"{getattr(parent, 'name', '')}.{name}", 1
            )
            a.cost += weight * multiplier
        self.walk(
            node.selection_set, named,
            depth=depth + 1, multiplier=multiplier,
            sized=size if not returns_list else None, stack=stack,
        )  # fmt: skip

    def _slice_size(self, node: FieldNode) -> int | None:
        size: int | None = None
        for argument in node.arguments or ():
            if argument.name.value not in SLICING_ARGUMENTS:
                continue
            value = self._int_value(argument.value)
            if value is None:
                continue
            if value < 0 or value > self.limits.max_page_size:
                self.analysis.reject_once(
                    f"{argument.name.value}: {value} on {node.name.value!r} is outside "
                    f"0..{self.limits.max_page_size} (the maximum page size)"
                )
            size = max(size or 0, value)
        return size

    def _int_value(self, value: Any) -> int | None:
        if isinstance(value, IntValueNode):
            return int(value.value)
        if isinstance(value, VariableNode):
            raw = self.variables.get(value.name.value)
            return raw if isinstance(raw, int) and not isinstance(raw, bool) else None
        return None

    def _over_budget(self) -> bool:
        # A pathological document (fragments fanning out exponentially) must not
        # make the analysis itself the denial of service.
        if self.steps > MAX_STEPS:
            self.analysis.reject_once("the operation is too large to analyse")
            return True
        return False


def _field_definition(
    parent: GraphQLNamedType | None, name: str
) -> GraphQLField | None:
    if isinstance(parent, GraphQLObjectType) or hasattr(parent, "fields"):
        fields = getattr(parent, "fields", {})
        return fields.get(name)
    return None
