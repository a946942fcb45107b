"""Cross-article comparator: one person's name spelled two ways, read from the facts.

Compares the person and speaker facts of all articles, first mention per
article and name; the claim comparator :mod:`.names` compares every mention
and runs first. A transliteration ("Abduljalil" / "Abduljaleel") is one
spelling.
"""

from __future__ import annotations

from typing import Any

from consistency.claims.entities import relation
from consistency.judge.base import Finding as _Finding
from consistency.judge.facts_view import FactsView
from consistency.judge.names import spelt_two_ways
from consistency.text.names import name_key, name_variant
from consistency.types import Kind, Severity


class FactNameVariants(FactsView):
    """Spelling variants among the facts' names."""

    def _name_findings(self) -> list[_Finding]:
        mentions: dict[tuple[str, str], dict[str, Any]] = {}
        for f in self._all("person") + self._all("speaker"):
            if f["detail"].get("how") in ("continuation", "pronoun", "quote_span"):
                continue
            k = (f["article_id"], name_key(f["surface"]))
            if (
                k not in mentions
                or f["fact_type"] == "person"
                and (mentions[k]["fact_type"] != "person")
            ):
                mentions.setdefault(k, f)
        out: list[_Finding] = []
        items = sorted(mentions.items())
        seen: set[tuple[str, str, str, str]] = set()
        for (art_x, kx), x in items:
            for (art_y, ky), y in items:
                if art_x >= art_y or not name_variant(x["surface"], y["surface"]):
                    continue
                if relation(x["surface"], y["surface"]) == "same":
                    continue  # a transliteration ("Abduljalil" / "Abduljaleel"): one spelling
                gk = (art_x, art_y, kx, ky)
                if gk in seen:
                    continue
                seen.add(gk)
                out.append(
                    self._from_facts(
                        Kind.NAME,
                        Severity.MEDIUM,
                        0.7,
                        (art_x, x["sent_idx"]),
                        (art_y, y["sent_idx"]),
                        [x],
                        [y],
                        spelt_two_ways(
                            self.explain,
                            (str(x["surface"]), self._outlet(art_x)),
                            (str(y["surface"]), self._outlet(art_y)),
                        ),
                        "name",
                    )
                )
        return out
