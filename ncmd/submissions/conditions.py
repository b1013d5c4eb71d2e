"""Conditional questions in the browser: a dictionary `show_when` expression translated into a
small JSON condition that `ncmd/static/ncmd-forms.js` evaluates, and into a sentence for the hint.

The server stays the judge: the validator evaluates `show_when` on every submission. The browser
only shows and hides questions as a convenience. Parts of an expression that read only facts
about the case (`case.age_days < 365`) are decided here, where the case is known, so the browser
never needs them. An expression this module cannot translate (one that compares an answer with a
case fact, or orders dates) is left to the server: the question is always shown, with a hint that
names the answers it depends on.
"""

import ast
from dataclasses import dataclass

from ncmd.dictionary.expressions import SPECIAL_ANSWERS, compile_expression

_OPERATORS = {
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
    ast.In: "in",
    ast.NotIn: "not in",
}
_WORDS = {
    "==": "is",
    "!=": "is not",
    "<": "is less than",
    "<=": "is at most",
    ">": "is more than",
    ">=": "is at least",
}
_CONSTANTS = {"true": True, "false": False, "null": None}
_STATES = ("answered", "blank", *SPECIAL_ANSWERS)
_UNORDERED_TYPES = ("date", "datetime", "time")


class Unsupported(Exception):
    """The expression cannot be evaluated in the browser."""


@dataclass(frozen=True)
class BrowserCondition:
    """What a question's `show_when` means for the page.

    `always` is True or False when the case alone decides it (then `condition` is None);
    otherwise `condition` is the JSON for the script, or None when only the server can decide.
    """

    always: bool | None
    condition: dict | None
    depends_on: tuple
    description: str


def browser_condition(expression, form, case_facts):
    """Translate `expression` (a field's show_when) for a form page about a case with
    `case_facts`."""
    if expression is None:
        return BrowserCondition(True, None, (), "")
    depends = tuple(sorted(expression.fields))
    try:
        condition = _node(ast.parse(expression.source.strip(), mode="eval").body, form, case_facts)
    except Unsupported:
        return BrowserCondition(None, None, depends, _fallback(form, expression))
    if "const" in condition:
        return BrowserCondition(condition["const"], None, (), "")
    return BrowserCondition(None, condition, depends, describe(condition, form))


def _fields_in(node):
    return {
        n.id
        for n in ast.walk(node)
        if isinstance(n, ast.Name) and n.id not in _CONSTANTS and n.id not in _STATES
        and n.id != "case"
    }  # fmt: skip


def _node(node, form, facts):
    if not _fields_in(node):
        # Only case facts and constants: decide it now.
        return {"const": compile_expression(ast.unparse(node))({}, facts)}
    match node:
        case ast.BoolOp(op=ast.And(), values=values):
            parts = [_node(v, form, facts) for v in values]
            return _combine("all", parts)
        case ast.BoolOp(op=ast.Or(), values=values):
            parts = [_node(v, form, facts) for v in values]
            return _combine("any", parts)
        case ast.UnaryOp(op=ast.Not(), operand=operand):
            return {"not": _node(operand, form, facts)}
        case ast.Compare(left=ast.Name(id=name), ops=[ast.Is() | ast.IsNot() as op],
                         comparators=[ast.Name(id=state)]) if state in _STATES:  # fmt: skip
            return {"field": _field(name, form), "is": state, "negate": isinstance(op, ast.IsNot)}
        case ast.Compare(left=left, ops=[op], comparators=[right]) if type(op) in _OPERATORS:
            symbol = _OPERATORS[type(op)]
            left, right = _operand(left, form), _operand(right, form)
            if symbol in ("<", "<=", ">", ">="):
                for side in (left, right):
                    if "field" in side and form.fields[side["field"]].type in _UNORDERED_TYPES:
                        raise Unsupported
            return {"op": symbol, "left": left, "right": right}
        case ast.Name(id=name):
            return {"op": "==", "left": {"field": _field(name, form)}, "right": {"value": True}}
    raise Unsupported


def _combine(kind, parts):
    """Drop parts the case has already decided; an `all` with a false part is false."""
    decided = [p["const"] for p in parts if "const" in p]
    rest = [p for p in parts if "const" not in p]
    if kind == "all" and False in decided:
        return {"const": False}
    if kind == "any" and True in decided:
        return {"const": True}
    return rest[0] if len(rest) == 1 else {kind: rest}


def _field(name, form):
    if name not in form.fields:
        raise Unsupported
    return name


def _operand(node, form):
    match node:
        case ast.Name(id=name) if name in _CONSTANTS:
            return {"value": _CONSTANTS[name]}
        case ast.Name(id=name):
            return {"field": _field(name, form)}
        case ast.Constant(value=value) if isinstance(value, str | int | float | bool):
            return {"value": value}
        case ast.UnaryOp(op=ast.USub(), operand=ast.Constant(value=value)) if isinstance(
            value, int | float
        ):
            return {"value": -value}
        case ast.List(elts=items) | ast.Tuple(elts=items):
            values = [_operand(item, form) for item in items]
            if any("value" not in v for v in values):
                raise Unsupported
            return {"value": [v["value"] for v in values]}
    raise Unsupported  # case facts compared with answers are for the server


def describe(condition, form):
    """The condition as words, for the hint of a conditional question."""
    if "all" in condition:
        return " and ".join(describe(c, form) for c in condition["all"])
    if "any" in condition:
        return " or ".join(describe(c, form) for c in condition["any"])
    if "not" in condition:
        return f"it is not the case that {describe(condition['not'], form)}"
    if "is" in condition:
        label = _label(form, condition["field"])
        state = {
            "answered": "has been answered",
            "blank": "has not been answered",
            "not_known": "is answered 'Not known'",
            "not_applicable": "is answered 'Not applicable'",
        }[condition["is"]]
        if condition["negate"]:
            state = {
                "answered": "has not been answered",
                "blank": "has been answered",
            }.get(condition["is"], state.replace("is answered", "is not answered"))
        return f"{label} {state}"
    left, right, op = condition["left"], condition["right"], condition["op"]
    if op in ("in", "not in") and "field" in right:
        verb = "includes" if op == "in" else "does not include"
        return f"{_label(form, right['field'])} {verb} {_value(form, right['field'], left)}"
    if "field" not in left:
        left, right = right, left
        op = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}.get(op, op)
    if "field" not in left:
        return "some answers are given"
    field = left["field"]
    if op in ("in", "not in"):
        verb = "is" if op == "in" else "is not"
        return f"{_label(form, field)} {verb} {_value(form, field, right, joiner=' or ')}"
    return f"{_label(form, field)} {_WORDS[op]} {_value(form, field, right)}"


def _label(form, name):
    return f"'{form.fields[name].label.rstrip('?')}'"


def _value(form, name, operand, joiner=" or "):
    if "field" in operand:
        return _label(form, operand["field"])
    value = operand["value"]
    if isinstance(value, list):
        return joiner.join(_value(form, name, {"value": v}) for v in value)
    if isinstance(value, bool):
        return "'Yes'" if value else "'No'"
    field = form.fields[name]
    if field.codelist is not None and isinstance(value, str):
        return f"'{field.codelist.label_of(value)}'"
    return f"'{value}'" if isinstance(value, str) else str(value)


def _fallback(form, expression):
    names = [_label(form, n) for n in sorted(expression.fields) if n in form.fields]
    if expression.case_facts:
        names.append("the notification of the death")
    return f"some answers to {' and '.join(names)}"
