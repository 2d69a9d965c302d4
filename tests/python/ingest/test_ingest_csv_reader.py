"""The fast CSV path (pyarrow) reads exactly the records, line numbers, malformed rows
and chunks the csv module reads, and leaves to the csv module every file it might
read differently (issue 19)."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from opsmart.ingest._readers import (
    Chunk,
    FileHeader,
    _csv_chunks,
    _plain_csv_chunks,
    _plain_csv_table,
)

_COLUMNS = ("x", "y", "z")
#: Read in another order than the file's, as a contract does.
_PRESENT = ("z", "x", "y")

_PLAIN = {
    "unquoted": "x,y,z\na,b,c\nd,,f\n",
    "no final newline": "x,y,z\na,b,c\nd,e,f",
    "quoted everything": 'x,y,z\n"a","b","c"\n"","e",""\n',
    "quoted comma and doubled quote": 'x,y,z\n"a,1","say ""hi""",""""\n',
    "too few and too many fields": 'x,y,z\na,b\n"c,1",d,e,f\ng,h,i\n',
    "byte order mark": "\ufeffx,y,z\na,b,c\n",
    "header only": "x,y,z\n",
    "not ascii": 'x,y,z\nécole,日本,"ü,ß"\n',
}

_NOT_PLAIN = {
    "quoted newline": 'x,y,z\na,"two\nlines",c\n',
    "quoted newline at the quotes": 'x,y,z\na,"b\n",c\n',
    "blank line": "x,y,z\na,b,c\n\nd,e,f\n",
    "carriage return": "x,y,z\r\na,b,c\r\n",
    "stray quote": 'x,y,z\na,b"c,d\n',
    "text after a closing quote": 'x,y,z\n"a"b,c,d\n',
    "quote opening at line end": 'x,y,z\na",",c\n',
    "space before a quote": 'x,y,z\na, "b",c\n',
}


def _header(path: Path) -> FileHeader:
    return FileHeader(
        path=path, file_format="csv", columns=_COLUMNS, present=_PRESENT, ignored=()
    )


def _records(chunks: list[Chunk]) -> list[object]:
    """Each chunk's rows (with _source_row) and malformed records, in order."""
    return [(chunk.table.to_pylist(), chunk.malformed) for chunk in chunks]


@pytest.mark.parametrize("text", _PLAIN.values(), ids=_PLAIN.keys())
@pytest.mark.parametrize("chunk_rows", [1, 2, 1000])
@pytest.mark.parametrize("compressed", [False, True], ids=["csv", "csv.gz"])
def test_plain_csv_reads_as_the_csv_module_does(
    tmp_path: Path, text: str, chunk_rows: int, compressed: bool
) -> None:
    data = text.encode("utf-8")
    path = tmp_path / ("f.csv.gz" if compressed else "f.csv")
    path.write_bytes(gzip.compress(data) if compressed else data)
    header = _header(path)
    plain = _plain_csv_table(header)
    assert plain is not None, "expected the fast path"
    expected = _records(list(_csv_chunks(header, chunk_rows)))
    assert _records(list(_plain_csv_chunks(plain, chunk_rows))) == expected


def test_plain_csv_numbers_rows_by_line(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_text('x,y,z\na,b,c\nd,e\n"g",h,i\n', encoding="utf-8")
    plain = _plain_csv_table(_header(path))
    assert plain is not None
    (chunk,) = list(_plain_csv_chunks(plain, 1000))
    assert chunk.table.column("_source_row").to_pylist() == [2, 4]
    assert chunk.table.column("x").to_pylist() == ["a", "g"]
    assert chunk.malformed == ((3, 3, ("d", "e")),)


@pytest.mark.parametrize("text", _NOT_PLAIN.values(), ids=_NOT_PLAIN.keys())
def test_other_csv_is_left_to_the_csv_module(tmp_path: Path, text: str) -> None:
    path = tmp_path / "f.csv"
    path.write_bytes(text.encode("utf-8"))
    assert _plain_csv_table(_header(path)) is None


def test_non_utf8_is_left_to_the_csv_module(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_bytes(b"x,y,z\na,\xff,c\n")
    assert _plain_csv_table(_header(path)) is None
