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
