"""The audit trail: every write's change record, oldest first, read with a cursor."""

from __future__ import annotations

import json
from typing import Any

from app.services.read_model import ReadModel


def list_changes(model: ReadModel, since: int, limit: int) -> dict[str, Any]:
    rows = model.store.read("changes_since", {"since": since, "limit": limit})
    data = [
        {
            "id": int(r["seq"]),
            "at": r["at"],
            "actor": r["actor"],
            "action": r["action"],
            "entity": r["entity"],
            "before": json.loads(r["before"]) if r["before"] else None,
            "after": json.loads(r["after"]) if r["after"] else None,
        }
        for r in rows
    ]
    return {"data": data, "count": len(data), "next": data[-1]["id"] if data else since}
