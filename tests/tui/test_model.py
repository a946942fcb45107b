from tests.conftest import TEST_DATA
from tui.fit import evidence_lines


def test_evidence_facts_read_without_offsets():
    ev = {
        "a_facts": [
            {
                "type": "number",
                "surface": "lebih dari 30 rudal",
                "start": 5,
                "end": 24,
                "value_num": 30.0,
                "unit": "rudal",
                "qualifier": "more_than",
            }
        ],
        "b_facts": [],
        "similarity": 0.96481,
    }
    lines = evidence_lines(ev)
    assert lines[0] == "a_facts: number lebih dari 30 rudal (rudal, more_than)"
    assert lines[1] == "b_facts: -"
    assert lines[2] == "similarity: 0.965"
    assert not any("start" in ln or "24" in ln for ln in lines)


def test_evidence_resolved_date_is_shown():
    ev = {
        "a_facts": [
            {
                "type": "date",
                "surface": "Senin (5/9)",
                "value_date": "2022-09-05",
                "unit": "day",
                "qualifier": "monday",
            }
        ]
    }
    assert evidence_lines(ev) == ["a_facts: date Senin (5/9) = 2022-09-05 (monday)"]


def test_name_spans_whole_words_then_surname():
    from tui.model import name_spans

    assert name_spans("kata John Kirby.", "John Kirby") == ((5, 15),)
    assert name_spans('"..." ungkap Watson. Lalu Watson pergi.', "Andrienne Watson") == (
        (13, 19),
        (26, 32),
    )
    assert name_spans("Watsonville", "Watson") == ()
    assert name_spans(None, "Watson") == () and name_spans("Watson", None) == ()


def test_continued_quote_highlights_the_speaker_in_the_sentence_before():

    from consistency.outputs.report import load_report
    from tui.model import findings_from_report

    report = load_report(TEST_DATA / "report_small.json")
    found = [f for f in findings_from_report(report) if f.kind == "attribution"]
    continued = next(f for f in found if f.evidence.get("a_how") == "quote_span")
    a, b = continued.sides
    assert a.before is not None and "Watson" not in a.text
    assert [a.before[x:y] for x, y in a.before_highlight] == ["Watson"]
    # the other side names its speaker in the sentence itself: nothing marked around it
    assert "Kirby" in b.text and b.before_highlight == ()


def test_claims_by_id_and_claim_lines():

    from consistency.outputs.report import load_report
    from tests.make_report_small import build
    from tui.model import claim_lines, claims_by_id, findings_from_report

    fresh = claims_by_id(build())
    loaded = claims_by_id(load_report(TEST_DATA / "report_small.json"))
    assert fresh == loaded and len(fresh) == 2
    number = next(f for f in findings_from_report(build()) if f.kind == "number")
    assert number.claim in fresh
    head, lines = claim_lines(fresh[number.claim])
    assert head == "count ballistic missiles tested  (conflict)"
    assert lines == [
        "30 (more_than) — SATUHARAPAN.COM   “lebih dari 30”",
        "40 (more_than) — AP (English)   “more than 40”",
    ]
    year = next(g for g in fresh.values() if g["slot"] == "year")
    assert claim_lines(year) == (
        "year first ICBM flight",
        ["2017 — SATUHARAPAN.COM, AP (English)"],
    )


def _finding(kind: str = "number", evidence: dict | None = None, **kw):  # type: ignore[no-untyped-def]
    from tui.model import Finding, Side

    def side(text: str, hl: tuple[tuple[int, int], ...] = ()) -> Side:
        return Side("x", "Outlet", None, None, 0, 0, len(text), text, hl, None, None)

    sides = kw.pop("sides", (side("one"), side("two")))
    return Finding(
        id="f",
        kind=kind,
        severity="high",
        score=0.9,
        sides=tuple(sides),
        explanation=kw.pop("explanation", "Something differs; check it."),
        evidence=evidence or {},
    )


def test_clash_summary_figures_speakers_names():
    from tui.model import clash_summary

    ev = {"slot": "dead", "a_value": "41", "a_qualifier": "exact"}
    assert clash_summary(_finding("number", {**ev, "b_value": "44", "b_qualifier": "exact"})) == (
        "41 / 44   dead"
    )
    q = {"a_value": 30.0, "a_qualifier": "more_than", "b_value": "40", "b_qualifier": "about"}
    assert clash_summary(_finding("number", {**q, "slot": "injured_serious"})) == (
        ">30 / ~40   injured serious"
    )
    assert clash_summary(_finding("number", {"a_value": "3", "b_value": "4"})) == "3 / 4"
    speakers = {"a_speaker": "Kirby", "b_speaker": "Andrienne  Watson"}
    assert clash_summary(_finding("attribution", speakers)) == "Kirby / Andrienne Watson"
    names = {"a_name": "Homendy", "b_name": "Hommendi"}
    assert clash_summary(_finding("name", names)) == "Homendy / Hommendi"
    parts = {"slot": "dead", "whole": "10", "parts": ["3", "4", "5"]}
    assert clash_summary(_finding("number", parts)) == "3+4+5 / 10   dead"
    grades = {"grades": {"injured_serious": "6", "injured_light": "9"}, "total": "12"}
    assert clash_summary(_finding("number", grades)) == "6+9 / 12   injured"


def test_clash_summary_highlights_then_short_explanation():
    from tui.model import Side, clash_summary

    def side(text: str, hl: tuple[tuple[int, int], ...]) -> Side:
        return Side("x", "Outlet", None, None, 0, 0, len(text), text, hl, None, None)

    a = side("kata CNN, Selasa (5/9/2023).", ((10, 27),))
    b = side("pada hari Senin (5/9) bahwa", ((10, 21),))
    assert clash_summary(_finding("date", sides=(a, b))) == "Selasa (5/9/2023) / Senin (5/9)"
    # one side only, with the year it fits
    one = _finding("date", {"year": 2023, "fits": 2022}, sides=(b,))
    assert clash_summary(one) == "Senin (5/9): fits 2022, not 2023"
    assert clash_summary(_finding("unique", sides=(b,))) == "only Senin (5/9)"
    # a contradiction's highlights are not values: its explanation's first clause
    expl = "NLI finds a possible contradiction between these sentences; look closer."
    got = clash_summary(_finding("contradiction", sides=(a, b), explanation=expl))
    assert got == "NLI finds a possible contradiction between these sentences"
    # control characters from an article are shown, not sent to the terminal
    evil = {"a_speaker": "Ki\x1b[2Jrby", "b_speaker": "Watson"}
    assert "\x1b" not in clash_summary(_finding("attribution", evil))


def test_short_explanation_cuts_at_the_first_long_enough_clause():
    from tui.model import short_explanation

    assert short_explanation("Monday 5/9: 5 September 2023 was a Tuesday; the nearest...") == (
        "Monday 5/9: 5 September 2023 was a Tuesday"
    )
    assert short_explanation("One quote worded two ways (A vs B): 'x' vs 'y'") == (
        "One quote worded two ways (A vs B)"
    )
    assert short_explanation("Short.") == "Short"
    assert short_explanation("A figure\nover  two lines. More.") == "A figure over two lines"


def test_clip_to_highlight_keeps_the_mark_and_shows_the_cuts():
    from tui.fit import clip_to_highlight

    text = " ".join(f"w{i:02d}" for i in range(60))  # 239 characters
    start = text.index("w40")
    spans = ((start, start + 3),)
    piece, got = clip_to_highlight(text, spans, 60)
    assert len(piece) <= 62 and piece.startswith("…") and piece.endswith("…")
    assert [piece[x:y] for x, y in got] == ["w40"]
    assert clip_to_highlight("short", ((0, 5),), 60) == ("short", ((0, 5),))
    # no highlight: the start of the sentence
    piece, got = clip_to_highlight(text, (), 30)
    assert piece.startswith("w00") and piece.endswith("…") and got == ()


def test_fit_side_drops_context_then_cuts_around_the_highlight():
    from tui.fit import fit_side, wrapped_height
    from tui.model import Side

    body = "Lorem ipsum dolor sit amet, " * 8 + "kata Kirby kepada wartawan."
    k = body.index("Kirby")
    side = Side("x", "O", None, None, 0, 0, len(body), body, ((k, k + 5),), "Before.", "After.")
    assert fit_side(side, None, None).after == "After."  # no room known: everything
    roomy = fit_side(side, 80, 20)
    assert (roomy.before, roomy.text, roomy.after) == ("Before.", body, "After.")
    tight = fit_side(side, 34, 5)
    assert tight.after is None and tight.before is None
    assert wrapped_height(tight.text, 34) <= 5
    assert [tight.text[x:y] for x, y in tight.highlight] == ["Kirby"]
    # the sentence before holds the marked speaker: it stays
    cont = Side("x", "O", None, None, 0, 0, len(body), body, (), "ungkap Watson.", None, ((7, 13),))
    v = fit_side(cont, 34, 5)
    assert v.before == "ungkap Watson." and v.before_highlight == ((7, 13),)
    assert wrapped_height(v.before, 34) + wrapped_height(v.text, 34) <= 5


def test_attribution_side_without_a_span_marks_the_speaker_in_its_sentence():
    import dataclasses

    import polars as pl

    from consistency.outputs.report import load_report
    from tui.model import findings_from_report

    report = load_report(TEST_DATA / "report_small.json")
    first = report.divergences["divergence_id"][0]  # Watson / John Kirby, both named
    divs = report.divergences.with_columns(
        pl.when(pl.col("divergence_id") == first)
        .then(pl.lit([], dtype=pl.List(pl.List(pl.Int64))))
        .otherwise(pl.col("b_highlight"))
        .alias("b_highlight")
    )
    found = findings_from_report(dataclasses.replace(report, divergences=divs))
    f = next(x for x in found if x.id == first)
    b = f.sides[1]
    assert [b.text[x:y] for x, y in b.highlight] == ["John Kirby"]
