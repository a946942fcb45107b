"""Clean: split articles into paragraph blocks and mark boilerplate, keeping offsets.

Takes: ARTICLES. Returns: BLOCKS, one row per non-empty line of each article's
``text`` (a line break ends a block), with ``start``/``end`` indexing the
ORIGINAL text; surrounding whitespace is left out of the span, the text itself
is never changed. Each block is kept, or dropped with a ``reason``:

* ``boilerplate:<rule>``: the line matches one of :data:`LINE_RULES` (page
  furniture such as "loading...", "A A A", "Advertising", "Baca Juga:",
  "2 dari 2 halaman", credit lines, photo captions, related-story timestamps).
* ``trailer:<rule>``: the line starts a section that runs to the end of the
  article (:data:`TRAILER_RULES`: "Berita terkait" lists and the like), or it
  follows a closing credit line ("Editor : ...", "(ian)") in the second half of
  the article, where what comes next is another story's teaser.
* ``duplicate``: the same paragraph (after whitespace) was already kept.

The rules are data: lists of named regular expressions matched against the
whole stripped line, so that a new outlet's furniture is one more entry.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import polars as pl

from consistency.types import ARTICLES, BLOCKS

_DAYS = r"(?:Senin|Selasa|Rabu|Kamis|Jumat|Jum'at|Sabtu|Minggu|Ahad|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"  # noqa: E501
_MONTHS = (
    r"(?:Januari|Februari|Maret|April|Mei|Juni|Juli|Agustus|September|Oktober|November|"
    r"Desember|January|February|March|May|June|July|August|October|December|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Agu|Agt|Aug|Sep|Sept|Okt|Oct|Nov|Des|Dec)\.?"
)
_AGENCIES = r"(?:REUTERS|Reuters|AP|AFP|ANTARA|Antara|ANTARA FOTO|Xinhua|EPA|Bloomberg|KCNA|Yonhap|Getty Images|AP Photo)"  # noqa: E501


def _rules(*pairs: tuple[str, str]) -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple((name, re.compile(rx)) for name, rx in pairs)


LINE_RULES: tuple[tuple[str, re.Pattern[str]], ...] = _rules(
    # widgets and page furniture
    ("loading", r"(?i)(?:loading|memuat)\s*(?:\.{1,3}|…)?"),
    ("font-size", r"(?:[Aa][+-]?\s*){1,3}"),
    (
        "advertising",
        r"(?i)(?:advertis(?:ing|ement)|iklan|sponsored|konten sponsor|"
        r"scroll (?:to|untuk) (?:continue|melanjutkan)[\w ]*)",
    ),
    (
        "ui",
        r"(?i)(?:sukses|berhasil|gagal|bagikan|share|tweet|komentar|comments?|salin link|"
        r"copy link|link (?:copied|disalin)|tautan disalin|ikuti kami[\w ]*|follow us[\w ]*|"
        r"subscribe|berlangganan|beranda|home|login|masuk|daftar|menu|cari|search|tutup|close|"
        r"lihat (?:semua|lainnya)|selanjutnya|sebelumnya|next|previous|prev|top|terpopuler|"
        r"terkini|trending|populer|video|foto|galeri|infografis|newsletter)\s*:?",
    ),
    (
        "see-also",
        r"(?i)(?:baca|lihat|simak) (?:juga|pula)\b.*|(?:related|read also|also read)\s*:.*",
    ),
    ("read-more", r"(?i)(?:baca|lihat) selengkapnya\b.*|read more\b.*|selengkapnya\s*(?:>|»)?"),
    ("watch-video", r"(?i)(?:saksikan|simak|tonton|watch)\b.{0,40}\bvideo\b.*"),
    ("editors-pick", r"(?i)(?:pilihan editor|editor'?s? (?:pick|choice))\s*:.*"),
    (
        "pagination",
        r"(?i)(?:\d+\s+dari\s+\d+\s+halaman|halaman\s+\d+(?:\s+dari\s+\d+)?|"
        r"page\s+\d+(?:\s+of\s+\d+)?|halaman (?:selanjutnya|berikutnya)|next page)",
    ),
    (
        "time-ago",
        r"(?i)\d+\s+(?:detik|menit|jam|hari|minggu|pekan|bulan|tahun)\s+(?:yang\s+)?lalu|"
        r"\d+\s+(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?)\s+ago",
    ),
    ("breadcrumb", r"(?i)(?:home|beranda)\s*[>/›»|].*"),
    ("tags", r"(?i)(?:tags?|topik|topic|kata kunci|keywords?)\s*:.*"),
    ("copyright", r"(?i)(?:©|\(c\)|copyright|hak cipta)\b.*|.*\ball rights reserved\.?"),
    (
        "promo",
        r"(?i)(?:share (?:this|on)\b.*|sign up\b.*|click here\b.*|klik (?:di ?sini|link)\b.*|"
        r"story continues below.*|our standards\s*:.*|"
        r"(?:dapatkan|simak) (?:update|berita|informasi)\b.*|"
        r".*\b(?:google news|whatsapp channel|saluran whatsapp|grup telegram|unduh aplikasi|"
        r"download (?:the )?app)\b.*)",
    ),
    # credits: bylines, editors, signatures, agencies, sources
    (
        "credit",
        r"(?i)(?:editor|penulis|reporter|pewarta|penyunting|redaktur|kontributor|"
        r"fotografer|sumber|writer|written by|reporting by|editing by|source)\s*(?::\s*.{1,80})?",
    ),
    (
        "credit",
        r"(?i)(?:additional )?(?:reporting|writing|editing|compiled|translated|diterjemahkan)"
        r"(?: by| oleh)\b.{1,160}",
    ),
    ("signature", r"\([a-z]{2,5}(?:/[a-z]{2,5})*\)|\(\*\)"),
    ("agency", rf"\(?{_AGENCIES}\)?\.?"),
    # photo captions
    (
        "caption",
        r"(?i)(?:foto|photo|gambar|ilustrasi|image)\s*:.*|FOTO\s*/.*|"
        r"\(?(?:foto|photo)\s*:.*\)?",
    ),
    ("caption", rf".*\b(?:melalui|via)\s+{_AGENCIES}(?:/[\w .]+)?"),
    ("caption", rf".*\b{_AGENCIES}/[A-Z][\w .]+\)?\.?"),
    ("caption", r"(?i).*\((?:foto|photo|dok|dokumentasi|ist|istimewa)\s*[:./][^)]*\)\.?"),
    # outlet name / dateline headers on their own line
    ("outlet", r"(?i)[a-z][a-z0-9-]*(?:\.(?:co|com|id|net|org|tv|news))+"),
    (
        "dateline",
        rf"(?:{_DAYS},?\s*)?\d{{1,2}}\s+{_MONTHS}\s+\d{{4}}"
        r"(?:,?\s*(?:pukul\s*)?\d{1,2}[.:]\d{2}(?:\s*(?:WIB|WITA|WIT|GMT|UTC))?)?"
        r"(?:\s*[-|]\s*\d{1,2}[.:]\d{2}\s*(?:WIB|WITA|WIT)?)?",
    ),
    (
        "dateline",
        rf"(?:{_DAYS},?\s*)?\d{{1,2}}/\d{{1,2}}/\d{{2,4}}(?:\s*,?\s*\d{{1,2}}[.:]\d{{2}}"
        r"(?:\s*(?:WIB|WITA|WIT))?)?",
    ),
    # a publication stamp: up to three words (outlet, author, "diperbarui",
    # "Updated:") then a date and a clock time, nothing else
    (
        "stamp",
        rf"(?i)(?:[^\s|]+\s+){{0,2}}(?:[^\s|]+\s*[|\u2013\u2014-]?\s*)?(?:{_DAYS},?\s*)?"
        rf"(?:\d{{1,2}}\s+{_MONTHS}\s+\d{{4}}|{_MONTHS}\s+\d{{1,2}},?\s+\d{{4}}|"
        r"\d{1,2}/\d{1,2}/\d{2,4})\s*[,|\u2013\u2014-]?\s*\d{1,2}[.:]\d{2}"
        r"(?:\s*(?:WIB|WITA|WIT|GMT|UTC|[AP]\.?M\.?))?",
    ),
    # a menu or share bar: three or more short items between pipes
    ("nav", r"[^|\n]{1,40}(?:\s\|\s[^|\n]{1,40}){2,}"),
    ("no-letters", r"[^\w]*|[\d\W_]*"),
)
"""(name, pattern) pairs; a block whose stripped text fully matches one is dropped."""

TRAILER_RULES: tuple[tuple[str, re.Pattern[str]], ...] = _rules(
    (
        "related",
        r"(?i)(?:berita|artikel|baca berita|topik) (?:terkait|lainnya|pilihan|terpopuler)"
        r"\s*:?|related (?:articles?|stories|news|posts?)\s*:?|more (?:stories|from [\w .]+)\s*:?|"
        r"rekomendasi(?: untuk anda)?\s*:?|berita rekomendasi\s*:?",
    ),
)
"""(name, pattern) pairs; a block fully matching one starts a section dropped to the end."""

_DOMAIN = r"[A-Za-z][A-Za-z0-9-]*(?:\.(?i:co|com|id|net|org|tv|news))+"
DATELINE_PREFIXES: tuple[tuple[str, re.Pattern[str]], ...] = _rules(
    # "TEMPO.CO, Jakarta - ", "Liputan6.com, Washington - "
    ("dateline", rf"{_DOMAIN}\s*,\s*[A-Z][\w .]{{1,40}}?\s*[-\u2013\u2014]+\s*"),
    # "WASHINGTON - ", "WASHINGTON DC, SATUHARAPAN.COM-", "JAKARTA (ANTARA) - "
    (
        "dateline",
        r"[A-Z]{3,}(?:[ .]+[A-Z]{2,})*(?:\s*,\s*[A-Z][\w.]{1,30})?"
        r"(?:\s*\([\w .]{1,20}\))?\s*[-\u2013\u2014]+\s*",
    ),
)
"""(name, pattern) pairs matched at the start of the first kept blocks: a dateline
is left out of the block's span (the rest of the paragraph is kept)."""

DATELINE_MAX_BLOCK = 4
"""How many kept blocks from the top may carry the dateline."""

CLOSING_RULES = frozenset({"credit", "signature"})
"""Line rules that close the article when they occur in its second half."""

_TIMELINE_ENTRY = re.compile(
    r"\d{1,2}[.:]\d{2}\s*(?:WIB|WITA|WIT|GMT|UTC|[AP]\.?M\.?)?\s*[-\u2013\u2014:]\s", re.I
)
"""A block that opens with a clock time and a dash: an entry of a timeline ("20.11 WIB – ...")."""

_BLOCK_RE = re.compile(r"[^\r\n\u2028\u2029\x0b\x0c\x1c-\x1e\x85]+")


def iter_blocks(text: str) -> Iterator[tuple[int, int]]:
    """Spans ``(start, end)`` of the non-blank lines of ``text``, whitespace trimmed."""
    for m in _BLOCK_RE.finditer(text):
        seg = m.group()
        lead = len(seg) - len(seg.lstrip())
        body = seg.strip()
        if body:
            s = m.start() + lead
            yield s, s + len(body)


def classify_line(line: str) -> str | None:
    """The name of the first :data:`LINE_RULES` rule ``line`` matches, else None."""
    for name, pat in LINE_RULES:
        if pat.fullmatch(line):
            return name
    return None


def _normalise(line: str) -> str:
    return " ".join(line.split()).casefold()


def clean_text(text: str) -> list[tuple[int, int, bool, str | None]]:
    """Classify the blocks of one article's text.

    Returns:
        ``(start, end, kept, reason)`` for each block, in order.
    """
    spans = list(iter_blocks(text))
    out: list[tuple[int, int, bool, str | None]] = []
    seen: set[str] = set()
    trailer: str | None = None
    dateline_tries = DATELINE_MAX_BLOCK
    half = len(text) / 2
    for n, (start, end) in enumerate(spans):
        line = text[start:end]
        if trailer is not None:
            out.append((start, end, False, trailer))
            continue
        rule = next((n for n, p in TRAILER_RULES if p.fullmatch(line)), None)
        if rule is not None:
            trailer = f"trailer:{rule}"
            out.append((start, end, False, trailer))
            continue
        rule = classify_line(line)
        if (
            rule == "dateline"
            and n + 1 < len(spans)
            and _TIMELINE_ENTRY.match(text, spans[n + 1][0])
        ):
            rule = None  # the date a timeline's entries below it are on ("Jumat, 3 Maret 2023")
        if rule is not None:
            out.append((start, end, False, f"boilerplate:{rule}"))
            if rule in CLOSING_RULES and start >= half:
                trailer = f"trailer:after-{rule}"
            continue
        key = _normalise(line)
        if key in seen:
            out.append((start, end, False, "duplicate"))
            continue
        seen.add(key)
        if dateline_tries > 0:
            dateline_tries -= 1
            for _name, pat in DATELINE_PREFIXES:
                m = pat.match(line)
                if m and m.end() < len(line) and line[m.end()].isupper():
                    start += m.end()
                    dateline_tries = 0
                    break
        out.append((start, end, True, None))
    return out


def clean(articles: pl.DataFrame) -> pl.DataFrame:
    """Split each article into blocks and mark boilerplate.

    Args:
        articles: ARTICLES.

    Returns:
        BLOCKS, in article order then block order.
    """
    ARTICLES.validate(articles)
    rows: dict[str, list[Any]] = {c: [] for c in BLOCKS.columns}
    for article_id, text in articles.select("article_id", "text").iter_rows():
        for idx, (start, end, kept, reason) in enumerate(clean_text(text)):
            rows["article_id"].append(article_id)
            rows["block_idx"].append(idx)
            rows["start"].append(start)
            rows["end"].append(end)
            rows["kept"].append(kept)
            rows["reason"].append(reason)
    return BLOCKS.validate(pl.DataFrame(rows, schema=BLOCKS.polars_schema))
