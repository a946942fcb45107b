"""A person's rank and post: the title reader and the comparator, on hand-written cases."""

from __future__ import annotations

import polars as pl
import pytest

from consistency.claims.titles import read_title
from consistency.judge.titles import TitleConflicts, conflict
from tests.conftest import context


def title(text: str, name: str, code: str | None = None):  # type: ignore[no-untyped-def]
    a = text.index(name)
    return read_title(text, (a, a + len(name)), code)


def test_a_rank_and_a_post_before_the_name() -> None:
    t = title("Kapolres Sleman AKBP Budi Santoso mengatakan jalan ditutup.", "Budi Santoso", "id")
    assert (t.rank, t.post) == ("akbp", "head")
    assert "sleman" in t.words


def test_the_longer_form_wins_and_a_body_is_no_rank() -> None:
    t = title("kata Direktur Jenderal Perhubungan Darat Andi Wijaya di Jakarta.", "Andi Wijaya")
    assert (t.rank, t.post) == (None, "director_general")
    t = title(
        "ujar Kepala Bagian Humas Direktorat Jenderal Imigrasi Sari Dewi kemarin.", "Sari Dewi"
    )
    assert (t.rank, t.post) == (None, "head")  # "Jenderal" of the directorate is no rank


def test_an_english_appositive_and_an_acting_post() -> None:
    t = title("Maria Lopez, acting head of the city fire department, said.", "Maria Lopez", "en")
    assert t.post == "acting head"
    assert {"fire", "department"} <= t.words
    t = title("Menurut Plt Kepala Dinas Sosial Rina Hartati, bantuan sudah tiba.", "Rina Hartati")
    assert t.post == "acting head"


def test_words_of_the_sentence_are_no_title() -> None:
    # a lower-case word that only looks like a post, not closed as an appositive
    assert title("Menurut Budi, petugas di lapangan masih bekerja.", "Budi", "id") is None
    assert title("Warga bersama petugas menemui Budi Santoso di posko.", "Budi Santoso") is None
    # a former post is not compared
    assert title("kata mantan Kapolda Jawa Timur Irjen Andi Wijaya.", "Andi Wijaya") is None


def test_rank_ids_are_shared_across_languages() -> None:
    a = title("Juru bicara TNI AL Laksma Dedi Kurnia mengatakan kapal ditarik.", "Dedi Kurnia")
    b = title("Navy spokesman First Admiral Dedi Kurnia said the ship was towed.", "Dedi Kurnia")
    assert a.rank == b.rank == "laksma"
    assert conflict(a, b) is None


def test_two_grades_of_one_office_conflict_two_offices_do_not() -> None:
    head = title("Kepala Pos Pengamatan Gunung Lawu Joko Susilo melaporkan.", "Joko Susilo")
    officer = title("Petugas Pos Pengamatan Gunung Lawu Joko Susilo melaporkan.", "Joko Susilo")
    other = title("Petugas Dinas Pemadam Kebakaran Joko Susilo melaporkan.", "Joko Susilo")
    assert conflict(head, officer) == "post"
    assert conflict(head, other) is None  # no word of the office in common


@pytest.mark.parametrize(
    ("a", "b", "found"),
    [
        ("Kapolres Sleman AKBP Budi Santoso", "Kapolres Sleman AKP Budi Santoso", True),
        ("Kapolres Sleman AKBP Budi Santoso", "Kapolres Sleman Ajun Komisaris Besar Budi", False),
    ],
)
def test_the_comparator_on_two_outlets(a: str, b: str, found: bool) -> None:
    ctx = context(
        {
            "a": [[f"{a} mengatakan jalan ditutup sejak pagi."]],
            "b": [[f"{b} mengatakan jalan ditutup sejak pagi."]],
        }
    )
    ctx.articles = ctx.articles.with_columns(pl.lit("id").alias("language"))
    out = TitleConflicts().compare(ctx)
    assert [(f.a[0], f.b[0] if f.b else None) for f in out] == ([("a", "b")] if found else [])
    if found:
        assert out[0].explanation == (
            "Budi Santoso's rank: 'AKBP' in Outlet A vs 'AKP' in Outlet B; one person "
            "holds one rank at a time; check which is right."
        )
        assert out[0].evidence["a_value"] == "akbp" and out[0].evidence["b_value"] == "akp"


def test_a_place_read_as_a_name_is_no_person() -> None:
    # "Gunung Lawu" is credited with nothing: its titles belong to the person after it
    ctx = context(
        {
            "a": [["Menurut Kepala Pos Gunung Lawu, Joko Susilo, abu setinggi 2 km."]],
            "b": [["Menurut Petugas Pos Gunung Lawu, Joko Susilo, abu setinggi 2 km."]],
        }
    )
    out = TitleConflicts().compare(ctx)
    assert [f.evidence["person"] for f in out] == ["Joko Susilo"]
    assert out[0].evidence["what"] == "post"
