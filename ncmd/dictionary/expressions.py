"""The dictionary's small expression language, for `show_when`, `required` and rule checks.

Expressions are parsed with Python's own parser and then walked against a whitelist, so an
expression can compare answers, combine conditions and test membership, and nothing else: no calls,
no attribute access except `case.<fact>`, no subscripts. Each expression is compiled once, when the
dictionary loads, into a closure over the answers.

A comparison with a blank or special ("not known", "not applicable") answer is false: a question
that depends on an answer not yet given stays hidden, and a rule over unanswered fields is not
checked.
"""

import ast
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass

SPECIAL_ANSWERS = ("not_known", "not_applicable")
_STATE_TESTS = ("answered", "blank", *SPECIAL_ANSWERS)
_CONSTANT_NAMES = {"true": True, "false": False, "null": None}
_COMPARISONS = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
}


class ExpressionError(ValueError):
    """An expression that is not valid in the dictionary's language."""


@dataclass(frozen=True)
class Special:
    """A "not known" or "not applicable" answer."""

    kind: str

    def as_json(self):
        return {"special": self.kind}


def is_value(value):
    """True for a real answer: not blank, not a special answer."""
    return value is not None and not isinstance(value, Special) and value != []


@dataclass(frozen=True)
class Expression:
    source: str
    fields: frozenset  # names of the form's own fields it reads
    case_facts: frozenset  # names read as case.<name>
    evaluate: Callable[[Mapping, Mapping], bool]

    def __call__(self, answers, case=None):
        return bool(self.evaluate(answers, case or {}))


def compile_expression(source):
    """Parse `source` into an Expression, or raise ExpressionError saying what is not allowed."""
    if not isinstance(source, str) or not source.strip():
        raise ExpressionError("an expression must be a non-empty string")
    try:
        tree = ast.parse(source.strip(), mode="eval")
    except SyntaxError as error:
        raise ExpressionError(f"cannot parse {source!r}: {error.msg}") from None
    fields, facts = set(), set()
    evaluate = _compile(tree.body, source, fields, facts)
    return Expression(source, frozenset(fields), frozenset(facts), evaluate)


def _compile(node, source, fields, facts):
    match node:
        case ast.BoolOp(op=ast.And(), values=values):
            parts = [_compile(v, source, fields, facts) for v in values]
            return lambda a, c: all(p(a, c) for p in parts)
        case ast.BoolOp(op=ast.Or(), values=values):
            parts = [_compile(v, source, fields, facts) for v in values]
            return lambda a, c: any(p(a, c) for p in parts)
        case ast.UnaryOp(op=ast.Not(), operand=operand):
            inner = _compile(operand, source, fields, facts)
            return lambda a, c: not inner(a, c)
        case ast.Compare(left=left, ops=[ast.Is() | ast.IsNot() as op], comparators=[right]):
            return _compile_state_test(left, op, right, source, fields, facts)
        case ast.Compare(left=left, ops=ops, comparators=comparators):
            operands = [_compile_operand(n, source, fields, facts) for n in [left, *comparators]]
            checks = [_comparison(op, source) for op in ops]

            def compare(a, c):
                values = [operand(a, c) for operand in operands]
                return all(check(values[i], values[i + 1]) for i, check in enumerate(checks))

            return compare
        case ast.Name() | ast.Attribute():
            # A bare boolean field: `jar_triggered` means `jar_triggered == true`.
            operand = _compile_operand(node, source, fields, facts)
            return lambda a, c: operand(a, c) is True
        case _:
            raise ExpressionError(f"{_describe(node)} is not allowed in {source!r}")


def _compile_state_test(left, op, right, source, fields, facts):
    if not (isinstance(right, ast.Name) and right.id in _STATE_TESTS):
        raise ExpressionError(
            f"'is' must be followed by one of {', '.join(_STATE_TESTS)} in {source!r}"
        )
    operand = _compile_operand(left, source, fields, facts)
    state = right.id

    def test(a, c):
        value = operand(a, c)
        if state == "answered":
            result = value is not None and value != []
        elif state == "blank":
            result = value is None or value == []
        else:
            result = isinstance(value, Special) and value.kind == state
        return result if isinstance(op, ast.Is) else not result

    return test


def _compile_operand(node, source, fields, facts):
    match node:
        case ast.Constant(value=value) if isinstance(value, str | int | float | bool):
            return lambda a, c: value
        case ast.Name(id=name) if name in _CONSTANT_NAMES:
            value = _CONSTANT_NAMES[name]
            return lambda a, c: value
        case ast.Name(id=name) if name in _STATE_TESTS or name == "case":
            raise ExpressionError(f"{name!r} cannot be used as a value in {source!r}")
        case ast.Name(id=name):
            fields.add(name)
            return lambda a, c: a.get(name)
        case ast.Attribute(value=ast.Name(id="case"), attr=fact):
            facts.add(fact)
            return lambda a, c: c.get(fact)
        case ast.List(elts=elements) | ast.Tuple(elts=elements):
            items = [_compile_operand(e, source, fields, facts) for e in elements]
            return lambda a, c: [item(a, c) for item in items]
        case ast.UnaryOp(op=ast.USub(), operand=ast.Constant(value=value)) if isinstance(
            value, int | float
        ):
            return lambda a, c: -value
        case _:
            raise ExpressionError(f"{_describe(node)} is not allowed in {source!r}")


def _comparison(op, source):
    if isinstance(op, ast.In | ast.NotIn):
        negate = isinstance(op, ast.NotIn)

        def membership(left, right):
            if not is_value(left) or not is_value(right):
                return False
            if isinstance(right, list):
                found = left in right if not isinstance(left, list) else set(left) <= set(right)
            else:
                return False
            return not found if negate else found

        return membership
    function = _COMPARISONS.get(type(op))
    if function is None:
        raise ExpressionError(f"the operator {type(op).__name__} is not allowed in {source!r}")

    def compare(left, right):
        if not is_value(left) or not is_value(right):
            return False
        try:
            return function(left, right)
        except TypeError:
            return False

    return compare


def _describe(node):
    return {
        ast.Call: "a function call",
        ast.Subscript: "a subscript",
        ast.Attribute: "attribute access other than case.<fact>",
        ast.BinOp: "arithmetic",
        ast.Lambda: "a lambda",
    }.get(type(node), type(node).__name__)
