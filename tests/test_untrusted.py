"""Untrusted text, messy metadata and the CI gate (issue 14): one regression test per defect."""

from __future__ import annotations

from consistency.config import AlignConfig, Settings
from consistency.normalise import match_view
from consistency.pipeline import run
from tests.fakes import FakeEmbedder

SETTINGS = Settings(nli_model=None, align=AlignConfig(min_similarity=0.5, min_margin=0.0))

KIRBY = (
    "Juru bicara Gedung Putih John Kirby mengatakan Rusia sedang membeli amunisi dari Korea "
    'Utara. "Kami mendesak Korea Utara untuk menghentikan perundingan senjata," kata Kirby.'
)


def _offsets_hold(rep) -> None:
    texts = dict(rep.articles.select("article_id", "text").iter_rows())
    for r in rep.sentences.iter_rows(named=True):
        assert texts[r["article_id"]][r["start"] : r["end"]] == r["text"]
    for r in rep.facts.iter_rows(named=True):
        assert texts[r["article_id"]][r["start"] : r["end"]] == r["surface"]
    for r in rep.claims.iter_rows(named=True):
        assert texts[r["article_id"]][r["start"] : r["end"]] == r["surface"]
    for r in rep.divergences.iter_rows(named=True):
        for p in ("a", "b"):
            aid = r[f"{p}_article"]
            if aid is None:
                continue
            n = len(texts[aid])
            assert 0 <= r[f"{p}_start"] <= r[f"{p}_end"] <= n
            for s, e in r[f"{p}_highlight"]:
                assert 0 <= s <= e <= n


# -- 2. invisible characters -------------------------------------------------------------


def test_match_view_maps_back_to_original_offsets():
    text = "kata Kir\u200bby\u00a0di\r\nJakarta \u201cya\u201d \uff21"
    v = match_view(text)
    assert v.text == 'kata Kirby di\nJakarta "ya" A'
    s = v.text.index("Kirby")
    assert v.to_original(s, s + 5) == (5, 11)
    assert text[slice(*v.to_original(s, s + 5))] == "Kir\u200bby"
    j = v.text.index("Jakarta")
    assert text[slice(*v.to_original(j, j + 7))] == "Jakarta"


def test_zero_width_space_in_a_name_gives_no_attribution_finding(tmp_path):
    (tmp_path / "a.txt").write_text(KIRBY, encoding="utf-8")
    (tmp_path / "b.txt").write_text(KIRBY.replace("Kirby.", "Kir\u200bby."), encoding="utf-8")
    rep = run([str(tmp_path)], SETTINGS, embedder=FakeEmbedder(), nli=None)
    assert "attribution" not in set(rep.divergences["kind"]), rep.divergences.select(
        "kind", "explanation"
    ).rows()
    _offsets_hold(rep)


# -- 5. ids and line endings ---------------------------------------------------------------


def test_finding_ids_do_not_depend_on_line_endings_or_bom(tmp_path):
    other = KIRBY.replace("John Kirby", "Adrienne Watson").replace("kata Kirby", "ujar Watson")
    texts = {"a": "Judul berita\n\n" + KIRBY + "\n", "b": other + "\n"}
    ids = []
    for variant, (eol, bom) in {"lf": ("\n", ""), "crlf": ("\r\n", "\ufeff")}.items():
        d = tmp_path / variant
        d.mkdir()
        for name, t in texts.items():
            (d / f"{name}.txt").write_bytes((bom + t.replace("\n", eol)).encode("utf-8"))
        rep = run([str(d)], SETTINGS, embedder=FakeEmbedder(), nli=None)
        _offsets_hold(rep)
        assert rep.divergences.height
        ids.append(sorted(rep.divergences["divergence_id"]))
    assert ids[0] == ids[1]
