"""The JSON Schema of report.json, generated from the TypedDicts of ``qualseg.report_types``.

``python -m qualseg.report_schema`` prints it; ``docs/report.schema.json`` holds it (a test keeps
the file up to date and validates the sample study's report against it).
"""

from __future__ import annotations

import json
import types
from typing import (
    Any,
    Literal,
    NotRequired,
    Union,
    get_args,
    get_origin,
    get_type_hints,
    is_typeddict,
)

from qualseg import report_types
from qualseg.report_types import SCHEMA_VERSION, Report

SCHEMA_FILE = "docs/report.schema.json"
_SCALARS: dict[Any, dict[str, Any]] = {
    str: {"type": "string"},
    int: {"type": "integer"},
    float: {"type": "number"},
    bool: {"type": "boolean"},
    type(None): {"type": "null"},
    Any: {},
}


def report_schema() -> dict[str, Any]:
    """The schema of :class:`Report` (draft 2020-12), every TypedDict under ``$defs``."""
    defs: dict[str, Any] = {}
    root = _schema(Report, defs)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://qualseg.invalid/report.schema.json",
        "title": "qualseg report.json",
        "description": f"schema_version {SCHEMA_VERSION}; generated from qualseg/report_types.py",
        **root,
        "$defs": dict(sorted(defs.items())),
    }


def _schema(tp: Any, defs: dict[str, Any]) -> dict[str, Any]:
    if tp in _SCALARS:
        return dict(_SCALARS[tp])
    if is_typeddict(tp):
        if tp.__name__ not in defs:
            defs[tp.__name__] = {}  # placeholder: a recursive reference stops here
            defs[tp.__name__] = _object(tp, defs)
        return {"$ref": f"#/$defs/{tp.__name__}"}
    origin, args = get_origin(tp), get_args(tp)
    if origin is NotRequired:
        return _schema(args[0], defs)
    if origin is Literal:
        return {"enum": list(args)}
    if origin in (Union, types.UnionType):
        return {"anyOf": [_schema(a, defs) for a in args]}
    if origin is list:
        return {"type": "array", "items": _schema(args[0], defs)}
    if origin is dict:
        return {"type": "object", "additionalProperties": _schema(args[1], defs)}
    raise TypeError(f"no JSON Schema for {tp!r}")


def _object(tp: Any, defs: dict[str, Any]) -> dict[str, Any]:
    hints = get_type_hints(tp, vars(report_types), include_extras=True)
    out: dict[str, Any] = {"type": "object"}
    if tp.__doc__:
        out["description"] = " ".join(tp.__doc__.split())
    out["properties"] = {name: _schema(hint, defs) for name, hint in hints.items()}
    # from NotRequired[...] itself: __required_keys__ misses it under postponed annotations
    out["required"] = [n for n, hint in hints.items() if get_origin(hint) is not NotRequired]
    out["additionalProperties"] = False
    return out


def schema_text() -> str:
    """The schema as ``docs/report.schema.json`` holds it."""
    return json.dumps(report_schema(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    print(schema_text(), end="")
