"""Property test: ingest -> report on random Unicode keeps the offset contract and the ids."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from consistency.config import AlignConfig, Settings
from consistency.models.bundle import ModelChoice
from consistency.outputs.report import to_markdown
from consistency.pipeline import run
from tests.conftest import FakeEmbedder, offsets_hold

SETTINGS = Settings(nli_model=None, align=AlignConfig(min_similarity=0.5, min_margin=0.0))

BASE = (
    "Juru bicara Gedung Putih John Kirby mengatakan Rusia membeli 30 rudal dari Korea Utara.",
    '"Kami mendesak Korea Utara untuk berhenti," kata Kirby pada Selasa, 5 September 2023.',
    "Juru bicara Adrienne Watson mengatakan Rusia membeli 35 rudal dari Korea Utara.",
)
ODD = st.sampled_from(
    ["\x1b[2J", "\x07", "\x00", "\u200b", "\u00ad", "\u00a0", "\u0301", "\u0308", "\ufeff",
     "\u202e", "\r", "\t", "\u2028", "\uff21", "\u201c", "\u2014", "[bold]", "<b>", "="]
)  # fmt: skip
NOISE = st.lists(st.one_of(ODD, st.text(max_size=3)), max_size=6).map("".join)


def _report(d: Path, texts: list[str], eol: str, bom: str):  # type: ignore[no-untyped-def]
    d.mkdir()
    for i, t in enumerate(texts):
        data = (bom + t.replace("\n", eol)).encode("utf-8", "surrogatepass")
        (d / f"{i}.txt").write_bytes(data)
    return run([str(d)], SETTINGS, models=ModelChoice(FakeEmbedder(), None))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(NOISE, min_size=6, max_size=6), st.booleans())
def test_random_unicode_keeps_offsets_and_line_ending_independent_ids(
    noise: list[str], bom: bool
) -> None:
    texts = [
        BASE[0] + noise[0] + "\n" + noise[1] + BASE[1] + "\n",
        noise[2] + BASE[2] + noise[3] + "\n\n" + BASE[1].replace("Kirby", "Watson") + noise[4],
        BASE[0].replace("30", "31") + noise[5],
    ]
    texts = [t.replace("\r", "") for t in texts]  # line endings are the variable below
    if any(not t.strip() for t in texts):
        return
    with tempfile.TemporaryDirectory() as tmp:
        try:
            lf = _report(Path(tmp) / "lf", texts, "\n", "")
        except Exception as e:  # noqa: BLE001 - only a named input error is allowed
            from consistency.types import InputError

            assert isinstance(e, InputError), repr(e)
            return
        crlf = _report(Path(tmp) / "crlf", texts, "\r\n", "\ufeff" if bom else "")
    for rep in (lf, crlf):
        offsets_hold(rep)
        to_markdown(rep)
    assert sorted(lf.divergences["divergence_id"]) == sorted(crlf.divergences["divergence_id"])
