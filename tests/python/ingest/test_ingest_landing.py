"""Every file under the landing folder is loaded or listed with the reason it was not:
formats by name in any case, gzip CSV, hidden files, sub-folders, symbolic links,
re-deliveries under a new name; and no message quotes a file's content."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import pytest
from ingest_helpers import GOOD, Ingest, contacts_file, csv_text, row, write

from opsmart.ingest import NOT_LOADED_REASONS, IngestReport, LandingError

#: The first line of a file that is not landing data at all (a key, a password file).
SECRET = "root:$6$Zm9vYmFy$hunter2:19000:0:99999:7:::"


def _not_loaded(report: IngestReport) -> list[tuple[str, str]]:
    """(path inside the landing folder, reason) of every file not loaded."""
    return [
        (f.path.relative_to(report.landing_dir).as_posix(), f.reason)
        for f in report.not_loaded
    ]


def _loaded(report: IngestReport) -> list[str]:
    return [f.path.relative_to(report.landing_dir).as_posix() for f in report.files]


def _everything_said(report: IngestReport) -> str:
    """What reaches the user: the progress lines and the run log's JSON."""
    return "\n".join(report.describe()) + json.dumps(report.to_dict())


@pytest.mark.parametrize("name", ["new.CSV", "new.Csv", "NEW.csv.GZ"])
def test_extensions_are_matched_in_any_case(
    landing: Path, run_ingest: Ingest, name: str
) -> None:
    text = csv_text([GOOD["contacts"]])
    path = landing / "contacts" / name
    write(path, gzip.compress(text.encode()) if name.lower().endswith(".gz") else text)
    loaded = run_ingest()
    assert _loaded(loaded.report) == [f"contacts/{name}"]
    assert loaded.raw("contacts", "contact_id") == [("c1",)]


def test_parquet_extension_in_upper_case_loads(
    landing: Path, run_ingest: Ingest
) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = landing / "contacts" / "a.PARQUET"
    path.parent.mkdir(parents=True)
    pq.write_table(pa.table({k: [v] for k, v in GOOD["contacts"].items()}), path)
    loaded = run_ingest()
    assert loaded.report.file_format == "parquet"
    assert loaded.raw("contacts", "contact_id") == [("c1",)]


def test_gzip_csv_loads_the_same_rows_with_the_same_line_numbers(
    landing: Path, run_ingest: Ingest
) -> None:
    rows = [row("contacts", contact_id="c1"), row("contacts", contact_id="c2")]
    text = csv_text(rows).replace("\nc2", "\n\nc2")  # a blank line: c2 is on line 4
    write(landing / "contacts" / "a.csv.gz", gzip.compress(text.encode()))
    loaded = run_ingest()
    assert loaded.raw("contacts", "contact_id", "_source_row") == [
        ("c1", 2),
        ("c2", 4),
    ]
    (load,) = loaded.report.files
    assert load.size_bytes == (landing / "contacts" / "a.csv.gz").stat().st_size


#: A gzip CSV whose header is whole but whose end is cut off (found while loading).
_TRUNCATED = gzip.compress(
    csv_text([row("contacts", contact_id=f"c{i}") for i in range(300)]).encode()
)[:-40]


@pytest.mark.parametrize(
    "data", [b"not gzip at all", _TRUNCATED], ids=["not_gzip", "truncated"]
)
def test_a_broken_gzip_file_stops_the_load_naming_it(
    landing: Path, run_ingest: Ingest, data: bytes
) -> None:
    bad = write(landing / "contacts" / "a.csv.gz", data)
    with pytest.raises(LandingError) as raised:
        run_ingest()
    assert str(raised.value).startswith(f"{bad.resolve()}: not a readable gzip file")


def test_not_utf8_inside_gzip_gives_line_and_column(
    landing: Path, run_ingest: Ingest
) -> None:
    text = "contact_id,queue_id\nc1,q\xe9\n".encode("latin-1")
    bad = write(landing / "contacts" / "a.csv.gz", gzip.compress(text))
    with pytest.raises(LandingError) as raised:
        run_ingest()
    assert str(raised.value).startswith(f"{bad.resolve()}: line 2, column 5: not UTF-8")


def test_every_other_file_is_listed_with_its_reason(
    landing: Path, run_ingest: Ingest, tmp_path: Path
) -> None:
    contacts_file(landing)
    other = csv_text([row("contacts", contact_id="c9")])
    for name in (
        "contacts/.x.csv",  # hidden: an editor's or an upload's temporary file
        "contacts/sub/new.csv",
        "contacts/new.txt",
        "contacts/new.csv.zip",
        "contacts/new.csv.bz2",
        "contacts/new.parquet.gz",
        ".hidden/contacts.csv",
        "readme.txt",
        "archive/contacts.csv",
        "Contacts/new.csv",
    ):
        write(landing / name, other)
    os.mkfifo(landing / "contacts" / "pipe.csv")  # reading it would wait forever
    outside = write(tmp_path / "elsewhere" / "c.csv", other)
    (landing / "contacts" / "link.csv").symlink_to(outside)

    report = run_ingest().report

    assert _loaded(report) == ["contacts/contacts.csv"]
    assert _not_loaded(report) == [
        (".hidden/contacts.csv", "hidden"),
        ("Contacts/new.csv", "unknown_source_folder"),
        ("archive/contacts.csv", "unknown_source_folder"),
        ("contacts/.x.csv", "hidden"),
        ("contacts/link.csv", "symlink"),
        ("contacts/new.csv.bz2", "compressed"),
        ("contacts/new.csv.zip", "compressed"),
        ("contacts/new.parquet.gz", "compressed"),
        ("contacts/new.txt", "unsupported_format"),
        ("contacts/pipe.csv", "not_a_file"),
        ("contacts/sub/new.csv", "in_sub_folder"),
        ("readme.txt", "not_in_source_folder"),
    ]
    assert {f.source for f in report.not_loaded if f.path.name == "new.txt"} == {
        "contacts"
    }
    assert report.not_loaded_counts == {
        "compressed": 3,
        "hidden": 2,
        "in_sub_folder": 1,
        "not_a_file": 1,
        "not_in_source_folder": 1,
        "symlink": 1,
        "unknown_source_folder": 2,
        "unsupported_format": 1,
    }
    (case_hint,) = [f for f in report.not_loaded if f.path.parent.name == "Contacts"]
    assert "contacts" in case_hint.detail
    lines = report.describe()
    assert "1 file(s) loaded, 0 already loaded, 12 not loaded" in lines[0]
    assert "  contacts/sub/new.csv: in_sub_folder" in "\n".join(lines)
    data = json.loads(json.dumps(report.to_dict()))
    assert len(data["not_loaded"]) == 12
    assert data["not_loaded"][0] == {
        "source": None,
        "path": str(landing.resolve() / ".hidden" / "contacts.csv"),
        "reason": "hidden",
        "detail": "",
    }
    assert data["not_loaded_counts"]["compressed"] == 3


def test_every_reason_is_explained(landing: Path, run_ingest: Ingest) -> None:
    contacts_file(landing)
    write(landing / "contacts" / "new.txt", "x")
    report = run_ingest().report
    (unsupported,) = report.not_loaded
    assert unsupported.reason in NOT_LOADED_REASONS
    assert NOT_LOADED_REASONS[unsupported.reason] in "\n".join(report.describe())


def test_a_file_name_that_is_not_utf8_is_listed_not_loaded(
    landing: Path, run_ingest: Ingest
) -> None:
    contacts_file(landing)
    folder = os.fsencode(landing / "contacts")
    with open(os.path.join(folder, b"caf\xe9.csv"), "w") as handle:
        handle.write(csv_text([row("contacts", contact_id="c2")]))
    report = run_ingest().report
    assert [f.reason for f in report.not_loaded] == ["name_not_utf8"]
    assert "caf\\udce9.csv" in "\n".join(report.describe())


def test_file_names_cannot_break_a_line(landing: Path, run_ingest: Ingest) -> None:
    contacts_file(landing)
    write(landing / "contacts" / "a\nb\x1b[31m.txt", "x")
    lines = run_ingest().report.describe()
    (line,) = [line for line in lines if "a\\nb" in line]
    assert "\\x1b[31m.txt" in line


def test_the_list_of_files_not_loaded_is_shortened_on_the_terminal(
    landing: Path, run_ingest: Ingest
) -> None:
    contacts_file(landing)
    for number in range(30):
        write(landing / "contacts" / "old" / f"{number:02d}.csv", "x")
    report = run_ingest().report
    lines = report.describe()
    assert "  contacts/old/00.csv: in_sub_folder" in "\n".join(lines)
    assert "  contacts/old/29.csv: in_sub_folder" not in "\n".join(lines)
    assert "    ... and 10 more (the run log lists every file)" in lines
    assert len(report.to_dict()["not_loaded"]) == 30


# --- symbolic links: never followed, never printed -------------------------------


def test_a_link_to_a_file_outside_is_not_loaded_nor_printed(
    landing: Path, run_ingest: Ingest, tmp_path: Path
) -> None:
    contacts_file(landing)
    secret = write(tmp_path / "etc" / "shadow", SECRET + "\n")
    (landing / "contacts" / "shadow.csv").symlink_to(secret)
    loaded = run_ingest()
    assert _not_loaded(loaded.report) == [("contacts/shadow.csv", "symlink")]
    assert "hunter2" not in _everything_said(loaded.report)
    assert loaded.raw("contacts", "contact_id") == [("c1",)]


def test_a_link_inside_the_landing_folder_is_refused_too(
    landing: Path, run_ingest: Ingest
) -> None:
    target = contacts_file(landing)
    (landing / "contacts" / "again.csv").symlink_to(target)
    report = run_ingest().report
    assert _not_loaded(report) == [("contacts/again.csv", "symlink")]


def test_a_linked_source_folder_is_refused_and_named(
    landing: Path, run_ingest: Ingest, tmp_path: Path
) -> None:
    contacts_file(tmp_path / "real")
    landing.mkdir()
    (landing / "contacts").symlink_to(tmp_path / "real" / "contacts")
    with pytest.raises(LandingError) as raised:
        run_ingest()
    message = str(raised.value)
    assert "`contacts` is the one required source" in message
    assert "contacts (symlink)" in message


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (
            SECRET,
            "missing required column(s) contact_id, queue_id, channel, arrived_at, "
            "ended_at, outcome (found 1 column(s): 1 not in the contract)",
        ),
        (
            f"contact_id,channel,{SECRET},x",
            "(found 4 column(s): contact_id, channel and 2 not in the contract)",
        ),
        (
            ",".join([*GOOD["contacts"], SECRET, SECRET]),
            "column(s) 1 not in the contract appear more than once",
        ),
    ],
    ids=["no_contract_column", "some_contract_columns", "repeated"],
)
def test_a_header_is_never_quoted_beyond_contract_names(
    landing: Path, run_ingest: Ingest, header: str, expected: str
) -> None:
    write(landing / "contacts" / "shadow.csv", header + "\nbin:x:1:1\n")
    with pytest.raises(LandingError) as raised:
        run_ingest()
    message = str(raised.value)
    assert "hunter2" not in message and "$6$" not in message
    assert expected in message


def test_ignored_column_names_are_shortened_and_escaped(
    landing: Path, run_ingest: Ingest
) -> None:
    long_name = "x" * 300
    header = [*GOOD["contacts"], long_name, "tab\there"]
    write(landing / "contacts" / "a.csv", csv_text([GOOD["contacts"]], header))
    (load,) = run_ingest().report.files
    assert load.ignored_columns == ("x" * 63 + "…", "tab\\there")


# --- re-deliveries: the same bytes under a new name ------------------------------


def test_a_re_delivery_under_a_new_name_is_skipped_with_a_note(
    landing: Path, run_ingest: Ingest
) -> None:
    first = contacts_file(landing, "contacts_2026-03-02.csv")
    run_ingest(load_id="r1")
    write(landing / "contacts" / "contacts_2026-03-02 (1).csv", first.read_bytes())

    loaded = run_ingest(load_id="r2")

    assert loaded.report.files == ()
    assert loaded.quarantine() == []
    assert loaded.report.over_quarantine_rate(0.0) == []
    (again,) = loaded.report.not_loaded
    assert (again.path.name, again.reason) == (
        "contacts_2026-03-02 (1).csv",
        "same_content",
    )
    assert again.detail == (
        "the same bytes as contacts/contacts_2026-03-02.csv, loaded by run r1"
    )
    assert loaded.report.not_loaded_counts == {"same_content": 1}
    assert "same_content (the same bytes as contacts/contacts_2026-03-02.csv" in (
        "\n".join(loaded.report.describe())
    )


def test_the_same_file_twice_in_one_run_is_loaded_once(
    landing: Path, run_ingest: Ingest
) -> None:
    first = contacts_file(landing, "a.csv")
    write(landing / "contacts" / "b.csv", first.read_bytes())
    loaded = run_ingest(load_id="r1")
    assert _loaded(loaded.report) == ["contacts/a.csv"]
    (again,) = loaded.report.not_loaded
    assert (
        again.detail == "the same bytes as contacts/a.csv, loaded earlier in this run"
    )
    assert loaded.quarantine() == []


def test_a_re_delivery_keeps_being_listed_while_it_is_there(
    landing: Path, run_ingest: Ingest
) -> None:
    first = contacts_file(landing, "a.csv")
    write(landing / "contacts" / "b.csv", first.read_bytes())
    run_ingest(load_id="r1")
    report = run_ingest(load_id="r2").report
    assert [s.path.name for s in report.skipped] == ["a.csv"]
    assert _not_loaded(report) == [("contacts/b.csv", "same_content")]
    assert report.not_loaded[0].detail.endswith("loaded by run r1")


def test_a_changed_file_is_still_refused_even_if_it_now_repeats_another(
    landing: Path, run_ingest: Ingest
) -> None:
    contacts_file(landing, "a.csv")
    other = write(
        landing / "contacts" / "b.csv", csv_text([row("contacts", contact_id="c2")])
    )
    run_ingest(load_id="r1")
    other.write_bytes((landing / "contacts" / "a.csv").read_bytes())
    with pytest.raises(LandingError, match=r"b\.csv: changed since it was loaded"):
        run_ingest(load_id="r2")
