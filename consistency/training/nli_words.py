"""The words synthetic NLI pairs are made of: names, roles, days, months, events,
places, claims, saying verbs, stances and number words, Indonesian and English; the
held-apart slice has names and claims of its own. And the small random choices both
kinds of synthetic pair make.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Sequence

# --------------------------------------------------------------------------------------
# Synthetic, FactCC-style pairs
# --------------------------------------------------------------------------------------

NAMES_TRAIN = [
    ("John", "Kirby"),
    ("Adrienne", "Watson"),
    ("Antony", "Blinken"),
    ("Karine", "Jean-Pierre"),
    ("Joko", "Widodo"),
    ("Retno", "Marsudi"),
    ("Sri", "Mulyani"),
    ("Prabowo", "Subianto"),
    ("Mahfud", "MD"),
    ("Budi", "Gunadi"),
    ("Dmitry", "Peskov"),
    ("Sergei", "Shoigu"),
    ("Lloyd", "Austin"),
    ("Jake", "Sullivan"),
    ("Anies", "Baswedan"),
    ("Ganjar", "Pranowo"),
    ("Erick", "Thohir"),
    ("Luhut", "Pandjaitan"),
    ("Emmanuel", "Macron"),
    ("Olaf", "Scholz"),
    ("Maria", "Zakharova"),
    ("Ned", "Price"),
    ("Siti", "Nurbaya"),
    ("Basuki", "Hadimuljono"),
    ("Yasonna", "Laoly"),
    ("Listyo", "Sigit"),
    ("Rishi", "Sunak"),
    ("Fumio", "Kishida"),
    ("Tito", "Karnavian"),
    ("Nadiem", "Makarim"),
    ("Airlangga", "Hartarto"),
    ("Kim", "Yo-jong"),
]


NAMES_HELDOUT = [
    ("Matthew", "Miller"),
    ("Linda", "Thomas-Greenfield"),
    ("Puan", "Maharani"),
    ("Bahlil", "Lahadalia"),
    ("Wang", "Wenbin"),
    ("Yoon", "Suk-yeol"),
    ("Pratikno", "Pratikno"),
    ("Teten", "Masduki"),
    ("Gilbert", "Harris"),
    ("Dewi", "Lestari"),
    ("Hendra", "Wijaya"),
    ("Sarah", "Collins"),
]


ROLES = [
    ("juru bicara Gedung Putih", "White House spokesperson"),
    ("Menteri Luar Negeri", "Foreign Minister"),
    ("Menteri Pertahanan", "Defence Minister"),
    ("juru bicara Kremlin", "Kremlin spokesman"),
    ("Kepala Kepolisian", "the police chief"),
    ("Gubernur", "Governor"),
    ("Direktur Utama", "chief executive"),
    ("juru bicara kementerian", "a ministry spokesperson"),
]


DAYS_ID = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]


DAYS_EN = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


MONTHS_ID = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]


MONTHS_EN = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


# (Indonesian noun, English noun, Indonesian event, English event)
EVENTS = [
    ("rudal balistik", "ballistic missiles", "diluncurkan", "were launched"),
    ("orang", "people", "tewas dalam kecelakaan itu", "died in the accident"),
    ("warga", "residents", "dievakuasi", "were evacuated"),
    ("rumah", "houses", "rusak akibat gempa", "were damaged by the earthquake"),
    ("tentara", "soldiers", "dikerahkan ke perbatasan", "were deployed to the border"),
    ("pengunjuk rasa", "protesters", "ditangkap polisi", "were arrested by police"),
    ("peluru artileri", "artillery shells", "dikirim ke Rusia", "were sent to Russia"),
    ("penumpang", "passengers", "selamat", "survived"),
    ("ton beras", "tonnes of rice", "diimpor", "were imported"),
    ("pasien", "patients", "dirawat di rumah sakit", "were treated in hospital"),
    ("kapal", "ships", "tenggelam", "sank"),
    ("sekolah", "schools", "ditutup", "were closed"),
]


PLACES = [
    "Jakarta",
    "Surabaya",
    "Bandung",
    "Medan",
    "Makassar",
    "Pyongyang",
    "Moskow",
    "Washington",
    "Seoul",
    "Kyiv",
    "Yogyakarta",
    "Denpasar",
    "Semarang",
    "Palembang",
    "Beijing",
    "Tokyo",
]


PLACES_EN = {"Moskow": "Moscow"}


# (Indonesian clause, English clause): things that are said, denied or admitted
CLAIMS = [
    (
        "Rusia sedang mencari amunisi dari Korea Utara",
        "Russia is seeking ammunition from North Korea",
    ),
    ("pemerintah akan menaikkan harga bahan bakar", "the government will raise fuel prices"),
    ("perusahaan itu melanggar aturan lingkungan", "the company broke environmental rules"),
    ("kedua pemimpin telah bertukar surat", "the two leaders had exchanged letters"),
    ("pasukannya menembaki permukiman warga", "his troops fired on a residential area"),
    ("dana bantuan itu disalahgunakan", "the aid money was misused"),
    ("pertemuan itu akan digelar bulan depan", "the meeting will be held next month"),
    ("ada kebocoran data pribadi nasabah", "customers' personal data had leaked"),
    ("Kim Jong Un berencana bertemu Putin", "Kim Jong Un plans to meet Putin"),
    ("pabrik itu mencemari sungai", "the factory polluted the river"),
    ("dia menerima suap dari kontraktor", "he took bribes from a contractor"),
    ("negosiasi dagang itu gagal", "the trade talks failed"),
]


CLAIMS_HELDOUT = [
    ("kapal perang itu memasuki perairan sengketa", "the warship entered disputed waters"),
    ("anggaran proyek itu membengkak", "the project's budget ballooned"),
    ("tim itu mengatur skor pertandingan", "the team fixed the match"),
    ("sekolah tersebut menolak siswa miskin", "the school turned away poor students"),
]


SAY_ID = ["mengatakan", "menyatakan", "menyebut", "menegaskan"]


SAY_EN = ["said", "stated", "told reporters", "noted"]


# (Indonesian verb, English verb, polarity): +1 affirms, -1 denies the claim
STANCE = [
    ("mengakui", "admitted", 1),
    ("membenarkan", "confirmed", 1),
    ("mengonfirmasi", "confirmed", 1),
    ("membantah", "denied", -1),
    ("menyangkal", "denied", -1),
    ("menepis", "rejected claims", -1),
]


NUM_WORDS_ID = {
    2: "dua",
    3: "tiga",
    4: "empat",
    5: "lima",
    6: "enam",
    7: "tujuh",
    8: "delapan",
    9: "sembilan",
    10: "sepuluh",
    12: "dua belas",
    20: "dua puluh",
    30: "tiga puluh",
    50: "lima puluh",
    100: "seratus",
}


NUM_WORDS_EN = {
    2: "two",
    3: "three",
    4: "four",
    5: "five",
    6: "six",
    7: "seven",
    8: "eight",
    9: "nine",
    10: "ten",
    12: "twelve",
    20: "twenty",
    30: "thirty",
    50: "fifty",
    100: "a hundred",
}


def stable_fraction(text: str) -> float:
    """A number in [0, 1) fixed by ``text`` (used to split sentences into train / held-out)."""
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "little") / 2**32


def another(rng: random.Random, options: Sequence[str], current: str) -> str:
    choices = [o for o in options if o != current]
    return rng.choice(choices)


def changed_number(rng: random.Random, n: int) -> int:
    for _ in range(20):
        m = rng.choice([n + rng.randint(1, 9), max(1, n - rng.randint(1, 9)), n * 2, n * 10])
        if m != n and m > 0:
            return m
    return n + 1
