"""Name lists for generated demo inmates: common Indonesian (largely Javanese) names."""


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


MALE_FIRST = _words(
    """Agus Ahmad Andi Arif Bagus Bambang Budi Dedi Dimas Dwi Edi Eko Fajar Faisal Galih Hadi
    Hari Hendra Heru Ilham Imam Indra Joko Kurniawan Lukman Muhammad Nur Rahmat Rizki Rudi
    Samsul Slamet Sugeng Suharto Supri Sutrisno Teguh Tri Wahyu Yanto Yusuf Zainal Anton Bayu
    Danang Gilang Irfan Mulyono Priyo Sigit Sukardi Taufik Wawan Yudi Ari Catur"""
)
FEMALE_FIRST = _words(
    """Ani Ayu Dewi Dian Endang Fitri Indah Kartini Lestari Lina Maya Nur Putri Ratna Rina Sari
    Siti Sri Tuti Wulan Yuni Umi Nanik Suryani Ernawati Mega Novi Retno"""
)
MALE_MIDDLE = _words("Adi Budi Dwi Eka Hadi Nur Puji Tri Wahyu Agung Setia Dimas Aji")
FEMALE_MIDDLE = _words("Dwi Eka Nur Puji Sri Tri Dian Indah Ayu Rahayu Setia")
MALE_LAST = _words(
    """Prasetyo Santoso Wibowo Saputra Hidayat Setiawan Nugroho Susanto Kurniawan Gunawan
    Wijaya Hartono Purnomo Sulistyo Rahman Firmansyah Pratama Syahputra Utomo Handoko Sutanto
    Haryanto Widodo Suryadi Ramadhan Maulana Kusuma Permana Wicaksono Budiman Siregar Nasution
    Lubis Simanjuntak Sitompul Manurung Tambunan Hasibuan Sinaga"""
)
FEMALE_LAST = _words(
    """Lestari Rahayu Wulandari Handayani Puspitasari Kusumawati Susanti Rahmawati Yuliana
    Anggraini Safitri Ningsih Astuti Wahyuni"""
)
ALIASES = _words("Gondrong Kancil Bule Gepeng Kribo Bogel Cebol Jangkung Item Gundul Brewok Londo")
# (offence, sanction, restricts the shop to essentials)
OFFENCES = (
    ("Membawa telepon genggam ke dalam kamar", "Pengasingan 6 hari", True),
    ("Berkelahi dengan sesama WBP", "Pengasingan 12 hari dan penundaan kunjungan", True),
    ("Tidak mengikuti apel pagi", "Teguran tertulis", False),
    ("Menyimpan uang tunai", "Uang disita, teguran tertulis", True),
    ("Merusak fasilitas kamar", "Mengganti kerusakan, penundaan kunjungan 1 bulan", False),
)
