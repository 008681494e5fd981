"""The whole current state of a project as one JSON document, for automation.

UTF-8, keys sorted, two-space indent: the same context always gives the same bytes. Excerpts and
themes are all listed, each with its ``dismissed`` flag, so a script sees exactly what the
researcher sees and what they set aside. Each segment carries its validation figures (size,
share, lifts, silhouette, distinctness, overlaps, firmographic mirroring, MASE checklist) as
:func:`qualseg.validation.validate` computes them.
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Mapping
from typing import Any

from qualseg.exports.context import ExportContext
from qualseg.validation import validate

SCHEMA = "qualseg.project-state"
SCHEMA_VERSION = 1


def document(ctx: ExportContext) -> dict:
    """The state document as plain JSON-ready data."""
    report = ctx.report
    run = ctx.run
    try:
        config: Any = json.loads(run.config)
    except (TypeError, ValueError):
        config = run.config
    return _plain(
        {
            "schema": SCHEMA,
            "schema_version": SCHEMA_VERSION,
            "project": ctx.project,
            "generated_at": ctx.generated_at,
            "pseudonymised": ctx.pseudonymised,
            "run": {
                "id": run.id,
                "status": run.status,
                "started_at": run.started_at,
                "finished_at": run.finished_at,
                "seed": run.seed,
                "model": run.model,
                "config": config,
                "versions": run.versions,
                "stage_seconds": report.get("run", {}).get("stage_seconds", {}),
            },
            "sources": [
                {
                    "source": t.source,
                    "format": t.format,
                    "sha256": t.sha256,
                    "imported_at": t.imported_at,
                    "characters": len(t.text),
                }
                for t in sorted(ctx.transcripts, key=lambda t: (t.source, t.sha256))
            ],
            "participants": report["participants"],
            "excerpts": report["excerpts"],
            "themes": report["themes"],
            "segments": [
                {**s, "validation": validate(report, s["id"])} for s in report["segments"]
            ],
            "pins": report.get("pins", []),
            "measures": report.get("measures", {}),
            "edits": ctx.edits,
            "counts": {
                "participants": len(report["participants"]),
                "excerpts": sum(1 for e in report["excerpts"] if not e.get("dismissed")),
                "themes": sum(1 for t in report["themes"] if not t.get("dismissed")),
                "segments": len(report["segments"]),
                "pins": len(report.get("pins", [])),
            },
        }
    )


def render(ctx: ExportContext) -> bytes:
    """``document(ctx)`` as UTF-8 JSON with sorted keys."""
    text = json.dumps(document(ctx), ensure_ascii=False, sort_keys=True, indent=2, allow_nan=False)
    return (text + "\n").encode("utf-8")


def _plain(value: Any) -> Any:
    """JSON-ready data: dataclasses and mappings as objects, tuples as lists, numpy scalars as
    numbers, non-finite floats as null."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [_plain(v) for v in value]
        return sorted(items, key=repr) if isinstance(value, set | frozenset) else items
    if hasattr(value, "item") and callable(value.item):  # numpy scalar
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
