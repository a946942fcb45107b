"""Tests for the trimmed Latin-script tokenizer (consistency.models.onnx_tokens).

Fast tests build a small Unigram tokenizer by hand; the ``slow`` test compares the
trimmed and full e5 tokenizers of the real model cache on random text.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tokenizers import Tokenizer, decoders, normalizers, pre_tokenizers, processors
from tokenizers.models import Unigram

from consistency.models import onnx_tokens
from consistency.models.onnx_tokens import TRIMMED_FILE, TRIMMED_IDS_FILE, Tokens, load_tokens
from consistency.types import ModelError

PIECES = [
    ("<s>", 0.0),
    ("<pad>", 0.0),
    ("</s>", 0.0),
    ("<unk>", 0.0),
    ("▁", -2.0),
    ("▁ke", -3.0),
    ("日本", -3.5),  # a non-Latin piece between Latin ones: ids must be mapped back
    ("▁kereta", -4.0),
    ("re", -4.5),
    ("ta", -4.5),  # a tie with "re": the order must survive the trim
    ("k", -5.0),
    ("e", -5.0),
    ("r", -5.0),
    ("t", -5.0),
    ("a", -5.0),
    ("日", -6.0),
    ("é", -6.0),
    ("μ", -6.0),  # Greek mu: NFKC makes it of the micro sign, a Latin-1 character
    ("本", -30.0),  # the lowest score sets the unknown-character score: kept
    ("<mask>", 0.0),
]

FIXTURE_OK = [HealthCheck.function_scoped_fixture]


def write_tokenizer(directory: Path, pieces: list[tuple[str, float]] = PIECES) -> Path:
    tok = Tokenizer(Unigram(pieces, 3, False))
    tok.normalizer = normalizers.Sequence([normalizers.NFKC()])
    tok.pre_tokenizer = pre_tokenizers.Metaspace()
    tok.decoder = decoders.Metaspace()
    tok.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>",
        pair="<s> $A </s> </s> $B </s>",
        special_tokens=[("<s>", 0), ("</s>", 2)],
    )
    tok.add_special_tokens(["<s>", "<pad>", "</s>", "<unk>", "<mask>"])
    path = directory / "tokenizer.json"
    tok.save(str(path))
    return path


def full_of(path: Path) -> Tokens:
    return Tokens(path, trimmed=None)


@pytest.fixture(autouse=True)
def _fresh() -> None:
    load_tokens.cache_clear()


def test_trimmed_json_keeps_latin_pieces_specials_and_the_lowest_score(tmp_path: Path) -> None:
    full = json.loads(write_tokenizer(tmp_path).read_text())
    trimmed, ids = onnx_tokens.trimmed_json(full)
    kept = [p for p, _ in trimmed["model"]["vocab"]]
    assert "日本" not in kept and "日" not in kept and "μ" not in kept
    assert kept[:4] == ["<s>", "<pad>", "</s>", "<unk>"] and "本" in kept and "é" in kept
    # each kept piece maps back to its id in the full model, in the same order
    assert [PIECES[i][0] for i in ids] == kept and list(ids) == sorted(ids)
    mask = next(a for a in trimmed["added_tokens"] if a["content"] == "<mask>")
    assert kept[mask["id"]] == "<mask>"


def test_trimmed_ids_equal_the_full_model_and_other_scripts_fall_back(tmp_path: Path) -> None:
    path = write_tokenizer(tmp_path)
    tokens = load_tokens(path)
    assert tokens.trimmed and not tokens.full_loaded
    assert (tmp_path / TRIMMED_FILE).is_file() and (tmp_path / TRIMMED_IDS_FILE).is_file()
    full = full_of(path)
    latin = ["kereta", "ke kereta  rate", "éte ＫＥ ta", "<mask> kereta <s>", ""]
    assert tokens.encode(latin, 64) == full.encode(latin, 64)
    assert not tokens.full_loaded
    micro = ["ke \u00b5"]  # Latin-1 as written, Greek once normalised
    assert tokens.encode(micro, 64) == full.encode(micro, 64)
    assert tokens.full_loaded
    mixed = ["kereta 日本", "kereta"]
    assert tokens.encode(mixed, 64) == full.encode(mixed, 64)
    assert tokens.full_loaded
    pairs = [("kereta", "ke 日本"), ("rate", "kereta kereta")]
    assert tokens.encode(pairs, 6) == full.encode(pairs, 6)  # truncated the same way
    assert tokens.token_to_id("<pad>") == 1 and tokens.token_to_id("<mask>") == len(PIECES) - 1


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.text(alphabet="ketra é日本 ＫＡ\t\u00b5", max_size=24), min_size=1, max_size=6))
def test_trimmed_equals_full_on_random_text(tmp_path: Path, texts: list[str]) -> None:
    path = tmp_path / "tokenizer.json"
    if not path.exists():
        write_tokenizer(tmp_path)
    load_tokens.cache_clear()
    assert load_tokens(path).encode(texts, 16) == full_of(path).encode(texts, 16)


def test_a_directory_that_cannot_be_written_uses_the_full_tokenizer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_tokenizer(tmp_path)
    monkeypatch.setattr(onnx_tokens.tempfile, "mkstemp", _refuse)
    tokens = load_tokens(path)
    assert not tokens.trimmed and tokens.full_loaded
    assert tokens.encode(["kereta"], 16) == full_of(path).encode(["kereta"], 16)


def _refuse(*_args: object, **_kwargs: object) -> tuple[int, str]:
    raise PermissionError("read-only")


def test_a_damaged_trimmed_copy_is_derived_again(tmp_path: Path) -> None:
    path = write_tokenizer(tmp_path)
    load_tokens(path)
    (tmp_path / TRIMMED_FILE).write_text('{"model": ', encoding="utf-8")
    load_tokens.cache_clear()
    tokens = load_tokens(path)
    assert tokens.trimmed
    assert tokens.encode(["kereta"], 16) == full_of(path).encode(["kereta"], 16)


def test_a_tokenizer_that_is_not_unigram_is_refused() -> None:
    with pytest.raises(ModelError, match="not a sentencepiece Unigram"):
        onnx_tokens.trimmed_json({"model": {"type": "BPE", "vocab": {}}})


def test_a_missing_tokenizer_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="cannot load") as e:
        load_tokens(tmp_path / "tokenizer.json").encode(["x"], 8)
    assert "\n" not in str(e.value)


# ------------------------------------------------------------------------------ slow


@pytest.fixture(scope="module")
def e5_tokenizer(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from consistency.models import model_files, onnx_build

    d = tmp_path_factory.mktemp("e5tok")
    shutil.copyfile(onnx_build.onnx_model_dir() / model_files.TOKENIZER_FILE, d / "tokenizer.json")
    return d / "tokenizer.json"


TEXTS = st.text(
    alphabet=st.sampled_from(
        list("aeiou kmnrstgdbpl AKBJ.,;:-'\"0123456789%()")
        + list("éèñüöçğşı’“”–—…½ﬁＡ\u00a0\u200b\t")
        + list("日本Дийعربي")
    ),
    max_size=60,
)


@pytest.mark.slow
@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.one_of(TEXTS, st.tuples(TEXTS, TEXTS)), min_size=1, max_size=8))
def test_e5_trimmed_equals_full_on_random_text(e5_tokenizer: Path, items: list[object]) -> None:
    trimmed = load_tokens(e5_tokenizer)
    assert trimmed.trimmed
    full = _e5_full(e5_tokenizer)
    texts = [x for x in items if isinstance(x, str)]
    pairs = [x for x in items if isinstance(x, tuple)]
    assert trimmed.encode(texts, 512) == full.encode(texts, 512)
    assert trimmed.encode(pairs, 24) == full.encode(pairs, 24)


_FULL: dict[Path, Tokens] = {}


def _e5_full(path: Path) -> Tokens:
    if path not in _FULL:
        _FULL[path] = full_of(path)
    return _FULL[path]
