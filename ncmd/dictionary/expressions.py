"""The dictionary's small expression language, for `show_when`, `required` and rule checks.

Expressions are parsed with Python's own parser and then walked against a whitelist, so an
expression can compare answers, combine conditions and test membership, and nothing else: no calls,
no attribute access except `case.<fact>`, no subscripts. Each expression is compiled once, when the
dictionary loads, into a Python function over the answers.

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
    """Parse `source` into an Expression, or raise ExpressionError saying what is not allowed.

    The expression is checked by walking its parse tree (`interpret_expression`, which also
    names the fields and case facts it reads), then turned into the source of one Python
    function, compiled once: evaluating it runs no interpreter of ours, only Python's. Both give
    the same result for every set of answers (tests/unit/dictionary/test_expression_compiler.py
    compares them)."""
    interpreted = interpret_expression(source)
    tree = ast.parse(source.strip(), mode="eval")
    writer = _Writer()
    body = writer.condition(tree.body)
    code = f"def _evaluate(a, c):\n    return {body}\n"
    namespace = {"isinstance": isinstance, "list": list, "set": set, "Special": Special,
                 **_ORDERINGS, **writer.constants}  # fmt: skip
    exec(compile(code, f"<expression {source.strip()!r}>", "exec"), namespace)  # noqa: S102
    return Expression(source, interpreted.fields, interpreted.case_facts, namespace["_evaluate"])


def interpret_expression(source):
    """`compile_expression` as a walk of closures over the parse tree: the language's reference
    meaning, and what checks an expression."""
    if not isinstance(source, str) or not source.strip():
        raise ExpressionError("an expression must be a non-empty string")
    try:
        tree = ast.parse(source.strip(), mode="eval")
    except SyntaxError as error:
        raise ExpressionError(f"cannot parse {source!r}: {error.msg}") from None
    fields, facts = set(), set()
    evaluate = _compile(tree.body, source, fields, facts)
    return Expression(source, frozenset(fields), frozenset(facts), evaluate)


def _ordered(function):
    def compare(left, right):
        try:
            return function(left, right)
        except TypeError:
            return False

    return compare


_ORDERINGS = {
    "_lt": _ordered(operator.lt),
    "_le": _ordered(operator.le),
    "_gt": _ordered(operator.gt),
    "_ge": _ordered(operator.ge),
}
_ORDERING_NAMES = {ast.Lt: "_lt", ast.LtE: "_le", ast.Gt: "_gt", ast.GtE: "_ge"}
_NOT_VALUE = object()  # an operand whose value is not known when the expression is written


class _Writer:
    """Writes an expression already checked by `interpret_expression` as Python source with
    the interpreter's meaning: `a` is the answers, `c` the case facts, constants are names in
    `constants`, and each answer read for a comparison is held in a temporary (`_t0`, ...)."""

    def __init__(self):
        self.constants = {}
        self.temporaries = 0

    def constant(self, value):
        name = f"_k{len(self.constants)}"
        self.constants[name] = value
        return name

    def temporary(self):
        self.temporaries += 1
        return f"_t{self.temporaries}"

    def condition(self, node):
        match node:
            case ast.BoolOp(op=ast.And(), values=values):
                return "(" + " and ".join(self.condition(v) for v in values) + ")"
            case ast.BoolOp(op=ast.Or(), values=values):
                return "(" + " or ".join(self.condition(v) for v in values) + ")"
            case ast.UnaryOp(op=ast.Not(), operand=operand):
                return f"(not {self.condition(operand)})"
            case ast.Compare(left=left, ops=[ast.Is() | ast.IsNot() as op], comparators=[right]):
                return self.state_test(left, op, right.id)
            case ast.Compare(left=left, ops=ops, comparators=comparators):
                operands = [left, *comparators]
                return "(" + " and ".join(
                    self.comparison(op, operands[i], operands[i + 1]) for i, op in enumerate(ops)
                ) + ")"  # fmt: skip
            case _:  # a bare boolean field or fact
                return f"({self.operand(node)[0]} is True)"

    def operand(self, node):
        """(source, value): the value when it is a constant, else _NOT_VALUE."""
        match node:
            case ast.Constant(value=value):
                return self.constant(value), value
            case ast.Name(id=name) if name in _CONSTANT_NAMES:
                value = _CONSTANT_NAMES[name]
                return self.constant(value), value
            case ast.Name(id=name):
                return f"a.get({self.constant(name)})", _NOT_VALUE
            case ast.Attribute(attr=fact):
                return f"c.get({self.constant(fact)})", _NOT_VALUE
            case ast.List(elts=elements) | ast.Tuple(elts=elements):
                items = [self.operand(e) for e in elements]
                if all(value is not _NOT_VALUE for _, value in items):
                    value = [value for _, value in items]
                    # A fresh list each time, as the interpreter builds one.
                    return f"list({self.constant(tuple(value))})", value
                return "[" + "".join(f"{text}, " for text, _ in items) + "]", _NOT_VALUE
            case ast.UnaryOp(operand=ast.Constant(value=value)):
                return self.constant(-value), -value
        raise AssertionError(f"not checked by interpret_expression: {ast.dump(node)}")

    def held(self, node):
        """(name or constant, a test that it is a value, its constant value or _NOT_VALUE),
        assigning a read answer to a temporary inside the test."""
        text, value = self.operand(node)
        if value is not _NOT_VALUE:
            return text, ("True" if is_value(value) else "False"), value
        name = self.temporary()
        test = (
            f"(({name} := {text}) is not None and not isinstance({name}, Special) and {name} != [])"
        )
        return name, test, value

    def comparison(self, op, left_node, right_node):
        left, left_test, left_value = self.held(left_node)
        right, right_test, right_value = self.held(right_node)
        tests = [t for t in (left_test, right_test) if t != "True"]
        if "False" in tests:
            return "False"
        if isinstance(op, ast.In | ast.NotIn):
            if right_value is not _NOT_VALUE and not isinstance(right_value, list):
                return "False"
            if left_value is not _NOT_VALUE:
                found = (
                    f"set({left}) <= set({right})"
                    if isinstance(left_value, list)
                    else f"{left} in {right}"
                )
            else:
                found = (
                    f"(set({left}) <= set({right}) if isinstance({left}, list) "
                    f"else {left} in {right})"
                )
            if right_value is _NOT_VALUE:
                tests.append(f"isinstance({right}, list)")
            result = f"(not {found})" if isinstance(op, ast.NotIn) else found
        elif isinstance(op, ast.Eq):
            result = f"{left} == {right}"
        elif isinstance(op, ast.NotEq):
            result = f"{left} != {right}"
        else:
            result = f"{_ORDERING_NAMES[type(op)]}({left}, {right})"
        return "(" + " and ".join([*tests, result]) + ")"

    def state_test(self, node, op, state):
        text, value = self.operand(node)
        name = self.temporary()
        if state == "answered":
            test = f"(({name} := {text}) is not None and {name} != [])"
        elif state == "blank":
            test = f"(({name} := {text}) is None or {name} == [])"
        else:
            kind = self.constant(state)
            test = f"(isinstance({name} := {text}, Special) and {name}.kind == {kind})"
        return test if isinstance(op, ast.Is) else f"(not {test})"


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
