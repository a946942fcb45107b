"""Vehicle plates ("bernopol AD 7524 DG") -> ``plate`` CLAIMS rows keyed by region and digits."""

from __future__ import annotations

from typing import Any

from consistency.claims.rows import BARE_PLATE_RE, PLATE_RE, make_claim
from consistency.claims.values import Value


def plate_claims(aid: str, sent: dict[str, Any]) -> list[dict[str, Any]]:
    text, base = sent["text"], sent["start"]
    out = []
    seen: set[int] = set()
    for m in [*PLATE_RE.finditer(text), *BARE_PLATE_RE.finditer(text)]:
        a, b = m.start("r"), m.end("s")
        if a in seen:
            continue
        seen.add(a)
        out.append(
            make_claim(
                aid,
                sent["sent_idx"],
                "plate",
                "plate",
                base + a,
                base + b,
                text[a:b],
                Value(text=m.group("s").upper()),
                subject=f"{m.group('r').upper()} {m.group('d')}",
                cue="plate",
            )
        )
    return out
