"""The English catalogue: every entry translated, the committed .mo compiled from the committed .po,
every string in the code present in it, and the pages really served in the chosen language."""

from __future__ import annotations

import gettext
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
PO_PATH = LOCALE_DIR / "en" / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")
# The same folders `make messages` skips: other virtualenvs, the benchmark's own venv, test output.
IGNORED = (".venv/*", "bench/*", "test-artifacts/*")
# %(name)s, %(n)d, %s, %d and the escaped %% — what must survive translation unchanged.
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif%]")
ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b", "f": "\f"}


@dataclass
class PoEntry:
    line: int
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: str = ""
    msgstr_plural: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    where: list[str] = field(default_factory=list)
    obsolete: bool = False

    @property
    def key(self) -> tuple[str | None, str, str | None]:
        return (self.msgctxt, self.msgid, self.msgid_plural)

    def translations(self) -> list[str]:
        if self.msgid_plural is None:
            return [self.msgstr]
        return [self.msgstr_plural.get(i, "") for i in range(2)]

    def describe(self) -> str:
        ctx = f" [{self.msgctxt}]" if self.msgctxt else ""
        where = self.where[0] if self.where else f"django.po line {self.line}"
        return f"{where}{ctx}: {self.msgid!r}"


def _unquote(text: str) -> str:
    assert text.startswith('"') and text.endswith('"'), text
    return re.sub(r"\\(.)", lambda m: ESCAPES.get(m.group(1), m.group(1)), text[1:-1])


def read_po(path: Path) -> list[PoEntry]:
    """A small reader for the .po files msgmerge writes (no third-party parser needed)."""
    entries: list[PoEntry] = []
    current: PoEntry | None = None
    target = ""  # which field continuation lines ("...") extend
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
        if not line:
            current, target = None, ""
            continue
        if line.startswith("#"):
            if current is None:
                current = PoEntry(line=number)
                entries.append(current)
            if line.startswith("#,"):
                current.flags.update(f.strip() for f in line[2:].split(","))
            elif line.startswith("#:"):
                current.where.extend(line[2:].split())
            continue
        if current is None:
            current = PoEntry(line=number)
            entries.append(current)
        current.obsolete = current.obsolete or obsolete
        if line.startswith('"'):
            value = _unquote(line)
        else:
            keyword, _, quoted = line.partition(" ")
            target, value = keyword, _unquote(quoted.strip())
            if keyword == "msgctxt":
                current.msgctxt = ""
            elif keyword == "msgid_plural":
                current.msgid_plural = ""
        if target == "msgid":
            current.msgid += value
        elif target == "msgctxt":
            current.msgctxt = (current.msgctxt or "") + value
        elif target == "msgid_plural":
            current.msgid_plural = (current.msgid_plural or "") + value
        elif target == "msgstr":
            current.msgstr += value
        elif (plural := re.fullmatch(r"msgstr\[(\d+)\]", target)) is not None:
            index = int(plural.group(1))
            current.msgstr_plural[index] = current.msgstr_plural.get(index, "") + value
        else:
            raise AssertionError(f"{path}:{number}: unexpected line {raw!r}")
    return entries


def messages(entries: list[PoEntry]) -> list[PoEntry]:
    """The real messages: not the header, not obsolete (#~) leftovers."""
    return [e for e in entries if e.msgid and not e.obsolete]


@pytest.fixture(scope="module")
def po_entries() -> list[PoEntry]:
    return read_po(PO_PATH)


def test_the_reader_understands_contexts_plurals_flags_escapes_and_continuations(tmp_path):
    po = tmp_path / "x.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
        '#: a.py:1\n#, fuzzy, python-format\nmsgctxt "uang"\nmsgid "Masuk %(n)s"\n'
        'msgstr "In %(n)s"\n\n'
        'msgid ""\n"Ada \\"%(n)d\\" baris "\n"galat."\nmsgid_plural "Ada %(n)d baris."\n'
        'msgstr[0] "One \\"row\\"."\nmsgstr[1] ""\n"%(n)d rows."\n\n'
        '#~ msgid "Lama"\n#~ msgstr "Old"\n',
        encoding="utf-8",
    )
    header, fuzzy, plural, old = read_po(po)
    assert header.msgid == "" and "nplurals=2" in header.msgstr
    assert (fuzzy.msgctxt, fuzzy.msgid, fuzzy.msgstr) == ("uang", "Masuk %(n)s", "In %(n)s")
    assert fuzzy.where == ["a.py:1"] and fuzzy.describe() == "a.py:1 [uang]: 'Masuk %(n)s'"
    assert fuzzy.flags == {"fuzzy", "python-format"}
    assert plural.msgid == 'Ada "%(n)d" baris galat.'
    assert plural.translations() == ['One "row".', "%(n)d rows."]
    assert old.obsolete and old.msgid == "Lama"
    assert messages([header, fuzzy, plural, old]) == [fuzzy, plural]


def test_every_entry_has_an_english_translation_and_none_is_fuzzy(po_entries):
    entries = messages(po_entries)
    assert len(entries) > 500, "the English catalogue looks truncated"
    untranslated = [e.describe() for e in entries if not all(t.strip() for t in e.translations())]
    fuzzy = [e.describe() for e in entries if "fuzzy" in e.flags]
    assert untranslated == [], "untranslated — run `make messages` and translate them"
    assert fuzzy == [], "fuzzy — check the translation, then remove the fuzzy flag"


def test_the_header_is_utf8_with_english_plurals_and_not_fuzzy(po_entries):
    header = po_entries[0]
    assert header.msgid == "" and "fuzzy" not in header.flags
    assert "charset=UTF-8" in header.msgstr
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header.msgstr


def test_placeholders_survive_translation(po_entries):
    wrong = []
    for e in messages(po_entries):
        sources = [e.msgid] if e.msgid_plural is None else [e.msgid, e.msgid_plural]
        # Named placeholders must all be kept; a singular may drop %(n)s ("one row").
        wanted = set().union(*(PLACEHOLDER.findall(s) for s in sources))
        for text in e.translations():
            found = set(PLACEHOLDER.findall(text))
            if found - wanted or (e.msgid_plural is None and found != wanted):
                wrong.append(f"{e.describe()} -> {text!r}")
    assert wrong == []


def test_the_committed_mo_is_compiled_from_the_committed_po(po_entries):
    assert MO_PATH.exists(), "locale/en/LC_MESSAGES/django.mo is missing — run `make messages`"
    with MO_PATH.open("rb") as fh:
        catalog = dict(gettext.GNUTranslations(fh)._catalog)  # type: ignore[attr-defined]
    catalog.pop("", None)  # the header
    expected: dict[object, str] = {}
    for e in messages(po_entries):
        msgid = f"{e.msgctxt}\x04{e.msgid}" if e.msgctxt is not None else e.msgid
        if e.msgid_plural is None:
            expected[msgid] = e.msgstr
        else:
            expected.update({(msgid, i): t for i, t in enumerate(e.translations())})
    stale = sorted(repr(k) for k in expected if catalog.get(k) != expected[k])
    extra = sorted(repr(k) for k in catalog if k not in expected)
    assert stale == [], "the .mo is older than the .po — run `make messages` and commit both"
    assert extra == [], "the .mo holds entries the .po does not — run `make messages`"


def _extract_from_the_code(workdir: Path) -> list[PoEntry]:
    """Run makemessages on a copy of the code, so the committed locale/ is never touched."""
    root = Path(settings.BASE_DIR)
    src = workdir / "src"
    shutil.copytree(
        root / "pandai",
        src / "pandai",
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "media", "*.sqlite3*"),
    )
    shutil.copy2(root / "manage.py", src / "manage.py")
    (src / "locale").mkdir()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "pandai.settings", "PYTHONPATH": str(src)}
    ignores = [f"--ignore={pattern}" for pattern in IGNORED]
    command = [sys.executable, "manage.py", "makemessages", "-l", "en", *ignores]
    result = subprocess.run(command, cwd=src, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return read_po(src / "locale" / "en" / "LC_MESSAGES" / "django.po")


def test_every_string_in_the_code_is_in_the_committed_catalogue(po_entries, tmp_path):
    if shutil.which("xgettext") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("xgettext is missing in CI: install gettext so new strings are checked")
        pytest.skip("xgettext (package gettext) is not installed; CI installs it and checks")
    committed = {e.key for e in messages(po_entries)}
    in_code = messages(_extract_from_the_code(tmp_path))
    assert len(in_code) > 500, "makemessages found suspiciously few strings"
    missing = [e.describe() for e in in_code if e.key not in committed]
    assert missing == [], "strings not in locale/en — run `make messages`, translate, commit"


def _choose_language(client, code: str) -> None:
    response = client.post("/i18n/setlang/", {"language": code, "next": "/masuk/"})
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == code


@pytest.mark.django_db
def test_the_login_page_is_english_when_english_is_chosen_and_indonesian_by_default(client):
    page = client.get("/masuk/").content.decode()
    assert '<html lang="id"' in page
    assert "Masuk ke Pandai" in page and "Nama pengguna" in page and "Kata sandi" in page

    _choose_language(client, "en")
    page = client.get("/masuk/").content.decode()
    assert '<html lang="en"' in page
    assert "Log in to Pandai" in page and "Username" in page and "Password" in page
    assert "Masuk" not in page and "Nama pengguna" not in page

    _choose_language(client, "id")
    page = client.get("/masuk/").content.decode()
    assert "Masuk ke Pandai" in page and "Log in" not in page


@pytest.mark.django_db
def test_signed_in_pages_follow_the_language_including_the_logout_button(client, staff, site):
    client.force_login(staff("counter_officer"))
    logout = re.compile(r'action="/keluar/".*?<button[^>]*>([^<]*)</button>', re.S)

    home = client.get("/").content.decode()
    assert logout.search(home).group(1) == "Keluar"

    _choose_language(client, "en")
    home = client.get("/").content.decode()
    assert logout.search(home).group(1) == "Log out"
    assert "Log out" in home and "Beranda" not in home
