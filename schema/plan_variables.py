"""Variable values of a planned operation, coerced as graphql-core coerces them.

``get_variable_values`` works out each variable's signature (its type from the
document, its default) on every request, then coerces the value. A plan's
variable definitions never change, so the signatures and coerced defaults are
worked out once; a value that already is what its built-in scalar coerces it
to (a 32-bit ``int`` for ``Int``, a ``str`` for ``String``/``ID``, a ``bool``
for ``Boolean``) is taken as it is, and any other value goes through
graphql-core's own ``coerce_input_value``.

Whenever something does not coerce (a missing required variable, a bad value,
a bad default), the coercer hands the whole request to ``get_variable_values``,
which reports the errors in graphql-core's words.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import Any

from graphql import (
    GraphQLBoolean,
    GraphQLError,
    GraphQLID,
    GraphQLInt,
    GraphQLNonNull,
    GraphQLSchema,
    GraphQLString,
    Undefined,
    VariableDefinitionNode,
)
from graphql.execution.get_variable_signature import (
    GraphQLVariableSignature,
    get_variable_signature,
)
from graphql.execution.values import (
    VariableValues,
    VariableValueSource,
    get_variable_values,
    input_is_nested_too_deeply,
    maybe_use_default_value,
)
from graphql.utilities.coerce_input_value import coerce_input_value

INT32 = (-(2**31), 2**31 - 1)

_EXACT: dict[Any, Callable[[Any], bool]] = {
    # Values these scalars coerce to themselves (bool is an int, but not an Int).
    GraphQLInt: lambda v: type(v) is int and INT32[0] <= v <= INT32[1],
    GraphQLString: lambda v: type(v) is str,
    GraphQLID: lambda v: type(v) is str,
    GraphQLBoolean: lambda v: type(v) is bool,
}


class _Variable:
    """One variable definition, worked out once."""

    def __init__(self, signature: GraphQLVariableSignature) -> None:
        self.name = signature.name
        self.signature = signature
        self.type = signature.type
        type_ = signature.type
        self.non_null = isinstance(type_, GraphQLNonNull)
        named = type_.of_type if isinstance(type_, GraphQLNonNull) else type_
        self.exact = _EXACT.get(named)
        self.default: Any = Undefined
        if signature.default is not None:
            found: dict[str, Any] = {}
            maybe_use_default_value(found, self.name, signature, _raise)
            self.default = found.get(self.name, Undefined)


class VariablesCoercer:
    """``get_variable_values`` for one operation's definitions. Safe to share."""

    def __init__(
        self, schema: GraphQLSchema, definitions: Collection[VariableDefinitionNode]
    ) -> None:
        self._schema = schema
        self._definitions = definitions
        self._variables: list[_Variable] | None = None
        try:
            variables = []
            for definition in definitions:
                signature = get_variable_signature(schema, definition)
                if isinstance(signature, GraphQLError):
                    raise signature
                variables.append(_Variable(signature))
        except GraphQLError:
            return  # every request then gets graphql-core's report
        self._variables = variables

    def coerce(self, inputs: Mapping[str, Any]) -> VariableValues | list[GraphQLError]:
        """What ``get_variable_values`` returns for ``inputs``."""
        if self._variables is not None:
            found = self._coerce(inputs)
            if found is not None:
                return found
        return get_variable_values(self._schema, self._definitions, dict(inputs))

    def _coerce(self, inputs: Mapping[str, Any]) -> VariableValues | None:
        assert self._variables is not None
        sources: dict[str, VariableValueSource] = {}
        coerced: dict[str, Any] = {}
        for variable in self._variables:
            name = variable.name
            value = inputs.get(name, Undefined)
            if value is Undefined:
                sources[name] = VariableValueSource(variable.signature)
                if variable.default is not Undefined:
                    coerced[name] = variable.default
                    continue
                if not variable.non_null:
                    continue  # an absent nullable variable is omitted
                return None
            sources[name] = VariableValueSource(variable.signature, value)
            if variable.exact is not None and variable.exact(value):
                coerced[name] = value
                continue
            if input_is_nested_too_deeply(value, variable.type):
                return None
            value = coerce_input_value(value, variable.type)
            if value is Undefined:
                return None
            coerced[name] = value
        return VariableValues(sources, coerced)


def _raise(error: GraphQLError, _path: list[str | int]) -> None:
    raise error
