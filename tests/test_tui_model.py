from tui.model import evidence_lines


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
    from pathlib import Path

    from consistency.report import load_report
    from tui.model import findings_from_report

    report = load_report(Path(__file__).parent / "data" / "report_small.json")
    found = [f for f in findings_from_report(report) if f.kind == "attribution"]
    continued = next(f for f in found if f.evidence.get("a_how") == "quote_span")
    a, b = continued.sides
    assert a.before is not None and "Watson" not in a.text
    assert [a.before[x:y] for x, y in a.before_highlight] == ["Watson"]
    # the other side names its speaker in the sentence itself: nothing marked around it
    assert "Kirby" in b.text and b.before_highlight == ()


def test_claims_by_id_and_claim_lines():
    from pathlib import Path

    from consistency.report import load_report
    from tests.make_report_small import build
    from tui.model import claim_lines, claims_by_id, findings_from_report

    fresh = claims_by_id(build())
    loaded = claims_by_id(load_report(Path(__file__).parent / "data" / "report_small.json"))
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
