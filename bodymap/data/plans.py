"""A complaint's plans as plain rows (for tables in the app and the handouts): points, muscles, sources."""

from __future__ import annotations

from typing import Any

from bodymap.core.vocabulary import Layer
from bodymap.data.catalog import Catalog


def describe(catalog: Catalog, complaint: str) -> dict[str, Any]:
    c = catalog.complaint(complaint)
    rows = []
    dn = catalog.dry_needling.get(c.id)
    for muscle_use in dn.muscles if dn else ():
        m = catalog.muscles[muscle_use.muscle]
        for tp in m.trigger_points:
            rows.append({"therapy": "Dry needling", "code": m.name, "name": tp.name, "location": tp.location,
                         "placement": "local", "meridian": "", "source": muscle_use.source})
    ac = catalog.acupuncture.get(c.id)
    for use in ac.points if ac else ():
        p = catalog.acupoints[use.code]
        channel = p.meridian or ("ear" if p.system == "auricular" else "extra")
        rows.append({"therapy": "Acupuncture", "code": p.code, "name": p.pinyin + (f" {p.hanzi}" if p.hanzi else ""),
                     "location": p.location, "placement": use.placement, "meridian": channel, "source": use.source})
    return {"complaint": {"id": c.id, "name": c.name, "summary": c.summary},
            "dry_needling": {"rationale": dn.rationale if dn else "", "source": dn.source if dn else ""},
            Layer.ACUPUNCTURE: {"rationale": ac.rationale if ac else "", "foot_points": ac.foot_points if ac else "",
                            "source": ac.source if ac else ""},
            "rows": rows}
