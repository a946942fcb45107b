"""The stories stage and the per-story run, with fakes (one end-to-end test on the real models)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from click.testing import CliRunner

from consistency.config import AlignConfig, FindingsConfig, Settings, Thresholds
from consistency.models.bundle import ModelChoice, Models
from consistency.outputs.report import load_report, to_html, to_json_dict, to_markdown, write_json
from consistency.pipeline import RunOptions
from consistency.runner.check import check_articles
from consistency.runner.feed import run_feed
from consistency.stages.stories import (
    StorySettings,
    cluster_by_similarity,
    group_stories,
    one_story,
    story_id,
    story_of,
)
from consistency.types import ARTICLES, STORIES
from tests.conftest import FakeEmbedder, FakeNLI

SETTINGS = Settings(nli_model=None, align=AlignConfig(min_similarity=0.5, min_margin=0.0))

FLOOD_1 = (
    "Banjir Bandang Terjang Cikajang, Garut\n\n"
    "GARUT - Banjir bandang menerjang Kecamatan Cikajang, Kabupaten Garut, Jawa Barat, pada "
    "Selasa (12/3/2024). Kepala BPBD Garut Satria Budi mengatakan 12 rumah hanyut dan 40 warga "
    "mengungsi. Sungai Cimanuk meluap setelah hujan deras sejak sore."
)
FLOOD_2 = (
    "BPBD: 15 Rumah Hanyut Diterjang Banjir di Cikajang\n\n"
    "Banjir bandang melanda Cikajang, Garut, Selasa malam. Kepala BPBD Garut Satria Budi "
    "mengatakan 15 rumah hanyut dan 40 warga mengungsi. Luapan Sungai Cimanuk "
    "merendam jalan utama Garut-Cikajang pada 2024."
)
FLOOD_EN = (
    "Flash flood sweeps homes in Cikajang, Garut\n\n"
    "A flash flood hit Cikajang in Garut regency, West Java, on Tuesday, the Garut disaster "
    "agency BPBD said. Satria Budi of BPBD Garut said 12 houses were swept away as the Cimanuk "
    "river burst its banks in 2024."
)
FIRE_1 = (
    "Kebakaran Pasar Kramat Jati, 200 Kios Hangus\n\n"
    "JAKARTA - Kebakaran melanda Pasar Kramat Jati, Jakarta Timur, Minggu (10/3/2024) dini hari. "
    "Kepala Sudin Gulkarmat Jakarta Timur Gatot Sulaeman mengatakan 200 kios hangus dan api "
    "padam setelah empat jam."
)
FIRE_2 = (
    "Ratusan Kios Pasar Kramat Jati Terbakar\n\n"
    "Api menghanguskan sekitar 180 kios di Pasar Kramat Jati, Jakarta Timur, Minggu dini hari. "
    "Gatot Sulaeman dari Sudin Gulkarmat Jakarta Timur menyebut 30 unit pemadam dikerahkan ke "
    "Kramat Jati pada 2024."
)
# the same flood a year earlier: its own story
FLOOD_OLD = (
    "Banjir Bandang Terjang Cikajang, Garut\n\n"
    "GARUT - Banjir bandang menerjang Kecamatan Cikajang, Kabupaten Garut, Jawa Barat, pada "
    "Senin (13/3/2023). Kepala BPBD Garut Satria Budi mengatakan 8 rumah rusak dan 20 warga "
    "mengungsi. Sungai Cimanuk meluap setelah hujan deras sejak sore 2023."
)

ROWS = [
    ("flood-1", FLOOD_1, "Outlet A", dt.date(2024, 3, 12)),
    ("flood-2", FLOOD_2, "Outlet B", dt.date(2024, 3, 13)),
    ("flood-en", FLOOD_EN, "Outlet C", dt.date(2024, 3, 12)),
    ("fire-1", FIRE_1, "Outlet A", dt.date(2024, 3, 10)),
    ("fire-2", FIRE_2, "Outlet D", dt.date(2024, 3, 10)),
    ("flood-old", FLOOD_OLD, "Outlet A", dt.date(2023, 3, 13)),
]


def frame(rows: list[tuple[str, str, str, dt.date | None]]) -> pl.DataFrame:
    import hashlib

    return ARTICLES.validate(
        pl.DataFrame(
            [
                {
                    "article_id": aid,
                    "source": f"{aid}.txt",
                    "outlet": outlet,
                    "title": text.split("\n", 1)[0],
                    "url": None,
                    "published": pub,
                    "language": "id",
                    "text": text,
                    "text_sha": hashlib.sha256(text.encode()).hexdigest(),
                    "published_precision": "day" if pub else None,
                }
                for aid, text, outlet, pub in rows
            ],
            schema=ARTICLES.polars_schema,
        )
    )


def groups(stories: pl.DataFrame) -> set[frozenset[str]]:
    return {frozenset(a) for a in stories["article_ids"].to_list()}


EXPECTED = {
    frozenset({"flood-1", "flood-2", "flood-en"}),
    frozenset({"fire-1", "fire-2"}),
    frozenset({"flood-old"}),
}


def test_a_feed_is_grouped_into_its_stories() -> None:
    stories = group_stories(frame(ROWS), FakeEmbedder())
    STORIES.validate(stories)
    assert groups(stories) == EXPECTED
    assert stories["n_articles"].to_list() == [3, 2, 1]  # the largest first


def test_grouping_and_ids_do_not_depend_on_the_input_order() -> None:
    a = group_stories(frame(ROWS), FakeEmbedder())
    b = group_stories(frame(list(reversed(ROWS))), FakeEmbedder())
    assert a.equals(b)


def test_story_id_hashes_the_articles_not_their_names() -> None:
    stories = group_stories(frame(ROWS), FakeEmbedder())
    renamed = [(f"x-{aid}", text, o, p) for aid, text, o, p in ROWS]
    again = group_stories(frame(renamed), FakeEmbedder())
    assert sorted(stories["story_id"]) == sorted(again["story_id"])
    assert story_id(["b", "a"]) == story_id(["a", "b"]) != story_id(["a", "c"])


def test_label_names_the_main_names_and_the_date() -> None:
    stories = group_stories(frame(ROWS), FakeEmbedder())
    label = stories.filter(pl.col("n_articles") == 3)["label"][0]
    assert "Garut" in label and "Cikajang" in label
    assert label.endswith("(2024-03-12)")


def test_the_same_event_a_year_earlier_is_its_own_story_but_a_stray_year_is_not() -> None:
    stories = group_stories(frame(ROWS[:3] + ROWS[5:]), FakeEmbedder())
    assert frozenset({"flood-old"}) in groups(stories)
    # a dateline a year off, in an article whose text names the story's year, stays
    stray = [("flood-2", FLOOD_2, "Outlet B", dt.date(2023, 3, 13)), *ROWS[:1], ROWS[2]]
    assert len(group_stories(frame(stray), FakeEmbedder())) == 1


def test_a_high_threshold_splits_everything() -> None:
    stories = group_stories(frame(ROWS), FakeEmbedder(), StorySettings(threshold=1.01))
    assert stories.height == len(ROWS)


def test_one_story_keeps_every_article_together() -> None:
    stories = one_story(frame(ROWS))
    STORIES.validate(stories)
    assert groups(stories) == {frozenset(r[0] for r in ROWS)}
    assert story_of(stories)["fire-1"] == stories["story_id"][0]
    assert one_story(frame([])).height == 0


def test_run_feed_compares_articles_only_inside_their_story() -> None:
    rep = run_feed(frame(ROWS), SETTINGS, ModelChoice(FakeEmbedder(), FakeNLI()))
    of = story_of(rep.stories)
    assert rep.stories is not None and rep.stories.height == 3
    assert rep.articles["article_id"].to_list() == [r[0] for r in ROWS]  # input order kept
    assert rep.divergences.height > 0
    for a, b in rep.divergences.select("a_article", "b_article").iter_rows():
        assert b is None or of[a] == of[b]
        assert a != "flood-old" and b != "flood-old"  # alone: no cross-article finding
    for a, b in rep.pairs.select("a_article", "b_article").iter_rows():
        assert of[a] == of[b]
    # a number the flood stories disagree on (12 vs 15 houses, in a wire copy the
    # bag-of-words embedder links as the real one does its rewording) is still found
    floods = {"flood-1", "flood-2", "flood-en"}
    nums = rep.divergences.filter(pl.col("kind") == "number")
    assert any({a, b} <= floods for a, b in nums.select("a_article", "b_article").iter_rows())


def test_one_story_compares_across_stories() -> None:
    rep = run_feed(
        frame(ROWS), SETTINGS, ModelChoice(FakeEmbedder(), FakeNLI()), RunOptions(one_story=True)
    )
    assert rep.stories is not None and rep.stories.height == 1
    pairs = {frozenset(p) for p in rep.pairs.select("a_article", "b_article").iter_rows()}
    assert any("flood-old" in p for p in pairs)


def test_json_names_the_story_of_every_finding_and_reads_back(tmp_path: Path) -> None:
    rep = run_feed(frame(ROWS), SETTINGS, ModelChoice(FakeEmbedder(), FakeNLI()))
    d = to_json_dict(rep)
    assert d["schema"] == "consistency.report/3"
    ids = {st["id"] for st in d["stories"]}
    assert len(ids) == 3
    assert all(f["story"] in ids for f in d["divergences"])
    assert sum(st["n_findings"] for st in d["stories"]) == len(d["divergences"])
    assert all(a["story"] in ids for a in d["articles"])
    path = tmp_path / "r.json"
    write_json(rep, path)
    back = load_report(path)
    assert back.stories is not None and back.stories.equals(rep.stories)
    # a /1 report (no stories) still reads, as one story
    old = json.loads(path.read_text())
    old["schema"] = "consistency.report/1"
    del old["stories"]
    path.write_text(json.dumps(old))
    one = load_report(path)
    assert one.stories is None and one.story_frame().height == 1


def test_markdown_and_html_group_findings_by_story() -> None:
    rep = run_feed(frame(ROWS), SETTINGS, ModelChoice(FakeEmbedder(), FakeNLI()))
    md = to_markdown(rep)
    assert "## Stories" in md
    with_findings = [st for st in to_json_dict(rep)["stories"] if st["n_findings"]]
    assert md.count("## Story: ") == len(with_findings)
    page = to_html(rep)
    assert page.count('<tr class="story"') == len(with_findings)
    assert '<table class="stories">' in page


def test_check_compares_new_only_with_the_corpus_of_its_story() -> None:
    new = frame([ROWS[1]])
    corpus = frame([ROWS[0], ROWS[3], ROWS[4], ROWS[5]])
    result = check_articles(new, corpus, SETTINGS, ModelChoice(FakeEmbedder(), FakeNLI()))
    assert set(result.report.articles["article_id"]) == {"flood-2", "flood-1"}
    assert not [w for w in result.report.warnings if "compared with nothing" in w]
    whole = check_articles(
        new, corpus, SETTINGS, ModelChoice(FakeEmbedder(), FakeNLI()), RunOptions(one_story=True)
    )
    assert whole.report.articles.height == 5


def test_check_warns_when_new_has_no_corpus_article_in_its_story() -> None:
    new = frame([ROWS[3]])
    corpus = frame([ROWS[0], ROWS[1]])
    result = check_articles(new, corpus, SETTINGS, ModelChoice(FakeEmbedder(), FakeNLI()))
    assert any("fire-1: no corpus article" in w for w in result.report.warnings)
    assert result.findings.filter(pl.col("b_article").is_not_null()).height == 0


def test_tui_finding_carries_its_story() -> None:
    from tui.model import findings_from_report

    rep = run_feed(frame(ROWS), SETTINGS, ModelChoice(FakeEmbedder(), FakeNLI()))
    labels = dict(rep.story_frame().select("story_id", "label").iter_rows())
    found = findings_from_report(rep)
    assert found and all(f.story in labels and f.story_label == labels[f.story] for f in found)


def _write_feed(tmp_path: Path, rows: list[tuple[str, str, str, dt.date | None]]) -> Path:
    path = tmp_path / "feed.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for aid, text, outlet, pub in rows:
            rec = {"id": aid, "text": text, "outlet": outlet, "title": text.split("\n", 1)[0]}
            if pub:
                rec["published"] = pub.isoformat()
            fh.write(json.dumps(rec) + "\n")
    return path


@pytest.mark.slow
def test_report_command_groups_a_feed_with_the_real_models(tmp_path: Path) -> None:
    from consistency.cli import main

    feed = _write_feed(tmp_path, ROWS)
    out = tmp_path / "r.json"
    r = CliRunner().invoke(main, ["report", str(feed), "--no-cache", "-o", str(out)])
    assert r.exit_code == 0, r.output
    d = json.loads(out.read_text())
    assert {frozenset(st["articles"]) for st in d["stories"]} == EXPECTED
    r = CliRunner().invoke(main, ["report", str(feed), "--no-cache", "--one-story", "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert len(json.loads(out.read_text())["stories"]) == 1


def test_dates_more_than_a_window_apart_in_one_year_split_a_story() -> None:
    later = [("flood-2", FLOOD_2, "Outlet B", dt.date(2024, 6, 20)), ROWS[0], ROWS[2]]
    assert frozenset({"flood-2"}) in groups(group_stories(frame(later), FakeEmbedder()))


def _naive_cluster(sim, blocked, threshold):  # the textbook loop the fast one must match
    members = {i: [i] for i in range(len(sim))}
    total = sim.astype(float).copy()
    blocked = blocked.copy()
    while len(members) > 1:
        best, pair = -np.inf, None
        keys = sorted(members)
        for x, a in enumerate(keys):
            for b in keys[x + 1 :]:
                if not blocked[a, b]:
                    avg = total[a, b] / (len(members[a]) * len(members[b]))
                    if avg > best:
                        best, pair = avg, (a, b)
        if pair is None or best < threshold:
            break
        a, b = pair
        total[a, :] += total[b, :]
        total[:, a] += total[:, b]
        blocked[a, :] |= blocked[b, :]
        blocked[:, a] |= blocked[:, b]
        members[a].extend(members.pop(b))
    return sorted(sorted(m) for m in members.values())


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_fast_average_linkage_matches_the_textbook_loop(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = 40
    x = rng.random((n, n))
    sim = (x + x.T) / 2
    dates = [dt.date(2024, 1, 1) + dt.timedelta(days=int(d)) for d in rng.integers(0, 90, n)]
    settings = StorySettings(threshold=0.5)
    blocked = np.zeros((n, n), dtype=bool)
    for i in range(n):
        for j in range(n):
            blocked[i, j] = abs((dates[i] - dates[j]).days) > settings.window_days
    got = sorted(cluster_by_similarity(sim, dates, settings))  # type: ignore[arg-type]
    assert got == _naive_cluster(sim, blocked, 0.5)
    assert 1 < len(got) < n


def test_progress_names_each_stage_once_and_counts_the_stories(capsys) -> None:
    from consistency.cli.common import StderrProgress

    seen: list[tuple[str, int, int]] = []
    run_feed(
        frame(ROWS),
        SETTINGS,
        ModelChoice(FakeEmbedder(), FakeNLI()),
        RunOptions(progress=lambda s, d, t: seen.append((s, d, t))),
    )
    assert [x for x in seen if x[0] == "story"] == [("story", k, 3) for k in range(4)]
    show = StderrProgress(True)
    for x in seen:
        show(*x)
    err = capsys.readouterr().err.splitlines()
    assert err.count("consistency: clean...") == 1
    assert "consistency: story 3 of 3..." in err and "consistency: story 4 of 3..." not in err


def test_a_word_another_article_writes_in_lower_case_does_not_label_a_story() -> None:
    rows = [
        (
            "m-1",
            "Menurut Rifandi, Marapi meletus lagi.\n\nMenurut Rifandi, abu Marapi tebal. "
            "Menurut warga Agam, Marapi bergemuruh.",
            "Outlet A",
            dt.date(2023, 12, 4),
        ),
        (
            "m-2",
            "Menurut petugas, Marapi meletus.\n\nRifandi di Agam mencatat letusan Marapi.",
            "Outlet B",
            dt.date(2023, 12, 4),
        ),
        (
            "other",
            "Harga cabai naik di Surabaya, menurut pedagang.\n\nPasar Wonokromo ramai.",
            "Outlet C",
            dt.date(2024, 6, 1),
        ),
    ]
    stories = group_stories(frame(rows), FakeEmbedder())
    label = stories.filter(pl.col("n_articles") == 2)["label"][0]
    assert "Marapi" in label and "Menurut" not in label


def test_run_feed_does_per_article_work_once(monkeypatch: pytest.MonkeyPatch) -> None:
    import consistency.stages.clean as clean_mod

    seen: list[str] = []

    class Counting(FakeEmbedder):
        def embed(self, texts):  # type: ignore[no-untyped-def]
            seen.extend(texts)
            return super().embed(texts)

    cleaned: list[int] = []
    real_clean = clean_mod.clean
    monkeypatch.setattr(clean_mod, "clean", lambda a: cleaned.append(a.height) or real_clean(a))
    arts = frame(ROWS)
    plain = run_feed(arts, SETTINGS, ModelChoice(FakeEmbedder(), FakeNLI()))
    seen.clear()
    cleaned.clear()
    rep = run_feed(arts, SETTINGS, ModelChoice(Counting(), FakeNLI()))
    assert cleaned == [arts.height]  # one clean over the whole feed
    assert len(seen) == len(set(seen))  # no text (openings included) embedded twice
    assert rep.divergences.equals(plain.divergences)


def test_run_feed_embeds_its_stories_in_one_length_sorted_pass() -> None:
    calls: list[list[str]] = []

    class Counting(FakeEmbedder):
        def embed(self, texts):  # type: ignore[no-untyped-def]
            calls.append(list(texts))
            return super().embed(texts)

    arts = frame(ROWS)
    lead = StorySettings(lead_sentences=0)  # the grouping embeds the titles only
    plain = run_feed(
        arts, SETTINGS, ModelChoice(FakeEmbedder(), FakeNLI()), RunOptions(story_settings=lead)
    )
    multi = plain.stories.filter(pl.col("n_articles") >= 2)
    assert multi.height >= 2  # else there is nothing to batch across stories
    rep = run_feed(
        arts, SETTINGS, ModelChoice(Counting(), FakeNLI()), RunOptions(story_settings=lead)
    )
    # the claim-identity model's masked windows around values are embedded per story
    # (short texts, each holding the mask); sentences are not
    from consistency.claims.identity import VALUE_MASK

    calls[:] = [c for c in calls if not all(VALUE_MASK in t for t in c)]
    # the grouping's openings, then every other sentence of the compared stories at once
    assert len(calls) == 2
    assert [len(t) for t in calls[1]] == sorted(len(t) for t in calls[1])
    compared = set(multi.explode("article_ids")["article_ids"].to_list())
    wanted = set(rep.sentences.filter(pl.col("article_id").is_in(compared))["text"].to_list())
    assert wanted <= set(calls[0]) | set(calls[1])
    assert rep.divergences.equals(plain.divergences)


def test_a_feed_loads_its_models_once_before_its_stories(monkeypatch: pytest.MonkeyPatch) -> None:
    resolved: list[ModelChoice] = []
    real = ModelChoice.resolve

    def counting(self: ModelChoice, settings: Settings) -> Models:
        resolved.append(self)
        return real(self, settings)

    monkeypatch.setattr(ModelChoice, "resolve", counting)
    seen: list[tuple[str, int]] = []
    options = RunOptions(progress=lambda stage, done, total: seen.append((stage, done)))
    rep = run_feed(frame(ROWS), SETTINGS, ModelChoice(FakeEmbedder(), FakeNLI()), options)
    assert rep.stories.height == len(EXPECTED)
    assert len(resolved) == 1  # once for the feed, not once per story
    assert [s for s in seen if s[0] == "models"] == [("models", 0), ("models", 1)]
    stages = [stage for stage, _ in seen]
    assert stages.index("models") < stages.index("stories") < stages.index("story")


def test_each_story_is_given_the_settings_thresholds(monkeypatch: pytest.MonkeyPatch) -> None:
    from consistency import pipeline

    given: list[Thresholds] = []
    real = pipeline.run_story

    def spy(articles, thresholds, models, options=None, **kw):  # type: ignore[no-untyped-def]
        given.append(thresholds)
        return real(articles, thresholds, models, options, **kw)

    monkeypatch.setattr(pipeline, "run_story", spy)
    settings = replace(SETTINGS, min_confidence=0.25, collapse=False)
    rep = run_feed(frame(ROWS), settings, ModelChoice(FakeEmbedder(), None))
    assert len(given) == rep.stories.height
    findings = FindingsConfig(min_confidence=0.25, collapse=False)
    assert set(given) == {Thresholds(align=settings.align, findings=findings)}


def test_an_empty_feed_gets_the_pipelines_own_empty_report() -> None:
    rep = run_feed(ARTICLES.empty(), SETTINGS, ModelChoice(FakeEmbedder(), None))
    assert rep.articles.height == rep.stories.height == rep.divergences.height == 0
    assert rep.generated_by["embed_model"] == FakeEmbedder.model_id


def test_a_label_takes_the_median_date_when_no_two_articles_agree() -> None:
    from collections import Counter

    from consistency.stages.stories import story_label

    counts = [Counter({"nanggala": 2}), Counter({"nanggala": 1}), Counter({"nanggala": 3})]
    surface = {"nanggala": "Nanggala"}
    apart = [dt.date(2014, 10, 7), dt.date(2021, 4, 23), dt.date(2021, 4, 22)]
    assert story_label([0, 1, 2], counts, surface, apart, 3) == "Nanggala (2021-04-22)"
    # where two agree, theirs is the story's date
    agree = [dt.date(2021, 4, 25), dt.date(2021, 4, 23), dt.date(2021, 4, 25)]
    assert story_label([0, 1, 2], counts, surface, agree, 3) == "Nanggala (2021-04-25)"
