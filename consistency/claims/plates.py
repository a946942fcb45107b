"""Vehicle plates ("bernopol AD 7524 DG") -> ``plate`` CLAIMS rows keyed by region and digits."""

from __future__ import annotations

from typing import Any

from consistency.claims.rows import _BARE_PLATE_RE, _PLATE_RE, _claim
from consistency.claims.values import Value


def _plate_claims(aid: str, sent: dict[str, Any]) -> list[dict[str, Any]]:
    text, base = sent["text"], sent["start"]
    out = []
    seen: set[int] = set()
    for m in [*_PLATE_RE.finditer(text), *_BARE_PLATE_RE.finditer(text)]:
        a, b = m.start("r"), m.end("s")
        if a in seen:
            continue
        seen.add(a)
        out.append(
            _claim(
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
