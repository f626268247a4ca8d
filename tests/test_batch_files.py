"""Batch file handling without models: discovery, unsafe --out refusal, atomic writes, resume manifest, records."""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import pytest

from idnews.batch.discover import UnsafeOutputError, check_output_folder, discover
from idnews.signature import TypedSignature
from idnews.batch.manifest import Manifest, exclusive, resume_key
from idnews.batch.outputs import TEMP_SUFFIX, AtomicFile, atomic_write, remove_stale_temporaries
from idnews.batch.records import Record, read_records
from idnews.decode import MAX_INPUT_BYTES
from idnews.errors import IdnewsError, InputError


def _touch(path: Path, text: str = "x") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture()
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "pages"
    for name in ("a.txt", "b.html", "sub/c.md", "sub/deep/d.txt", "rows.jsonl", "notes.pdf", ".hidden.txt",
                 ".git/config.txt", "sub/e.htm"):
        _touch(root / name)
    return root


def test_discover_mirrors_the_tree_and_skips_other_types_and_hidden_files(tree: Path) -> None:
    found = discover([tree], "md")
    assert [f.relative.as_posix() for f in found] == [
        "a.txt", "b.html", "rows.jsonl", "sub/c.md", "sub/e.htm", "sub/deep/d.txt",
    ]
    assert [f.output.as_posix() for f in found] == [
        "a.md", "b.md", "rows.jsonl", "sub/c.md", "sub/e.md", "sub/deep/d.md",
    ]


def test_discover_filters_with_glob_and_exclude(tree: Path) -> None:
    assert [f.relative.as_posix() for f in discover([tree], "txt", include=["*.txt"])] == ["a.txt", "sub/deep/d.txt"]
    assert [f.relative.as_posix() for f in discover([tree], "txt", include=["sub/*"], exclude=["*.md"])] == [
        "sub/e.htm", "sub/deep/d.txt",
    ]


def test_discover_keeps_full_names_when_outputs_would_collide(tmp_path: Path) -> None:
    _touch(tmp_path / "in" / "story.txt")
    _touch(tmp_path / "in" / "story.html")
    _touch(tmp_path / "in" / "other.html")
    outputs = {f.relative.as_posix(): f.output.as_posix() for f in discover([tmp_path / "in"], "txt")}
    assert outputs == {"story.txt": "story.txt.txt", "story.html": "story.html.txt", "other.html": "other.txt"}


def test_several_paths_are_mirrored_under_their_own_names(tree: Path, tmp_path: Path) -> None:
    single = _touch(tmp_path / "single.txt")
    found = discover([tree / "sub", single], "json")
    assert [f.output.as_posix() for f in found] == ["sub/c.json", "sub/e.json", "sub/deep/d.json", "single.json"]


def test_discover_refuses_a_missing_path(tmp_path: Path) -> None:
    with pytest.raises(IdnewsError, match="no such file or folder"):
        discover([tmp_path / "missing"], "txt")


@pytest.mark.parametrize("out", [".", "sub", "sub/new"])
def test_out_inside_or_equal_to_an_input_folder_is_refused(tree: Path, out: str) -> None:
    with pytest.raises(UnsafeOutputError, match="inside the input folder"):
        check_output_folder([tree], tree / out)


def test_out_holding_an_input_is_refused(tree: Path) -> None:
    with pytest.raises(UnsafeOutputError, match="is inside --out"):
        check_output_folder([tree / "a.txt"], tree)
    with pytest.raises(UnsafeOutputError, match="is inside --out"):
        check_output_folder([tree / "sub"], tree)


@pytest.mark.parametrize("name", ["out", "pages-out", "pages2"])  # "pages2" starts with "pages" but is not inside
def test_out_beside_the_inputs_is_accepted(tree: Path, name: str) -> None:
    assert tree.name == "pages"
    assert check_output_folder([tree, tree / "a.txt"], tree.parent / name) is None


def test_atomic_write_replaces_whole_files_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "out.txt"
    atomic_write(target, b"first")
    digest = atomic_write(target, b"second")
    assert target.read_bytes() == b"second"
    assert digest == "16367aacb67a4a017c8da8ab95682ccb390863780f7114dda0a0e0c55644c7c4"
    assert [p.name for p in target.parent.iterdir()] == ["out.txt"]


def test_a_discarded_or_killed_write_leaves_the_old_output(tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    atomic_write(target, b"old\n")
    pending = AtomicFile(target)
    pending.write(b"half of the new")
    assert target.read_bytes() == b"old\n"
    leftovers = list(tmp_path.glob(f".*{TEMP_SUFFIX}"))
    assert len(leftovers) == 1  # what a killed run leaves behind ...
    assert remove_stale_temporaries(tmp_path) == 1  # ... and the next run removes
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.jsonl"]
    pending.discard()


def test_manifest_marks_done_and_notices_changes(tmp_path: Path) -> None:
    manifest = Manifest(tmp_path)
    output = PurePosixPath("sub/a.txt")
    key = resume_key("input-hash", _Signature("model-a"))
    assert not manifest.is_done(output, key)
    digest = atomic_write(tmp_path / output, b"result\n")
    manifest.mark_done(output, key, input_sha256="input-hash", signature={"name": "model-a"}, output_sha256=digest)
    assert manifest.is_done(output, key)
    assert not manifest.is_done(output, resume_key("input-hash", _Signature("model-b")))
    (tmp_path / output).write_bytes(b"edited\n")
    assert not manifest.is_done(output, key)
    manifest.forget(output)
    assert not manifest.is_done(output, key)
    manifest.mark_done(output, key, input_sha256="input-hash", signature="signature", output_sha256=digest)
    manifest.close()
    with open(tmp_path / ".idnews" / "done.jsonl", "a") as journal:
        journal.write('{"output": "sub/b.txt", "ke')  # a line cut short by a kill is ignored
    reloaded = Manifest(tmp_path)
    assert not reloaded.is_done(output, key)  # the output was edited
    atomic_write(tmp_path / output, b"result\n")
    assert reloaded.is_done(output, key)


@dataclass(frozen=True)
class _Signature(TypedSignature):
    name: str

    def fields(self) -> dict[str, object]:
        return {"name": self.name}


def test_resume_key_depends_on_content_and_signature() -> None:
    keys = {resume_key(c, _Signature(s)) for c in ("a", "b") for s in ("x", "y")}
    assert len(keys) == 4
    assert resume_key("a", _Signature("x")) == resume_key("a", _Signature("x"))


def test_jsonl_records_carry_fields_and_report_broken_lines(tmp_path: Path) -> None:
    path = tmp_path / "rows.jsonl"
    lines = [
        json.dumps({"id": 1, "text": "Satu.", "url": "u"}),
        "",
        "{not json",
        json.dumps(["a list"]),
        json.dumps({"id": 5}),
        json.dumps({"id": 6, "text": 7}),
    ]
    extra = [b'{"text": "\xff"}', b'{"text": "Ada.", "score": NaN}', b'{"text": "a\\ud800b"}',
             b'{"text": "Emoji \\ud83d\\ude00 boleh."}']
    path.write_bytes(("\n".join(lines) + "\n").encode() + b"\n".join(extra) + b"\n")
    records = list(read_records(path, "rows.jsonl"))
    first_line = len(lines[0]) + 1
    assert records[0] == Record("rows.jsonl:1", text="Satu.", fields={"id": 1, "url": "u"}, line=1, end_offset=first_line)
    problems = [(r.line, r.problem) for r in records[1:]]
    assert problems == [  # the blank line 2 is no record
        (3, "not valid JSON (Expecting property name enclosed in double quotes at column 2)"),
        (4, "a JSON list, not an object with a 'text' field"),
        (5, "field 'text' is missing"),
        (6, "field 'text' is a int, not a string"),
        (7, "not UTF-8 (invalid start byte at byte 10)"),
        (8, "not valid JSON (NaN is not a JSON number)"),
        (9, "field 'text' holds a lone surrogate (U+D800) at character 1; it is not valid Unicode"),
        (10, None),  # a surrogate pair is one valid character
    ]
    assert records[3].fields == {"id": 5}
    assert records[-1].text == "Emoji \U0001f600 boleh." and records[-1].end_offset == path.stat().st_size
    # resuming after line 5 reads on from there, with the same line numbers
    resumed = list(read_records(path, "rows.jsonl", start=(records[3].end_offset or 0, 5)))
    assert resumed == records[4:]


def test_a_jsonl_line_over_the_limit_is_skipped_without_losing_the_next(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    with open(path, "wb") as handle:
        handle.write(b'{"text": "' + b"a" * (MAX_INPUT_BYTES + 10) + b'"}\n')
        handle.write(b'{"text": "Kalimat berikutnya."}\n')
    first, second = read_records(path, "big.jsonl")
    assert first.problem == f"line is longer than the {MAX_INPUT_BYTES:,}-byte limit"
    assert second.text == "Kalimat berikutnya." and second.line == 2


def test_unsupported_file_types_fail_with_a_reason(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="unsupported file type '.pdf'"):
        list(read_records(_touch(tmp_path / "x.pdf"), "x.pdf"))


@pytest.mark.skipif(os.name != "posix", reason="output folders are locked with flock on POSIX systems only")
def test_two_runs_cannot_write_into_one_output_folder(tmp_path: Path) -> None:
    with exclusive(tmp_path):
        with pytest.raises(IdnewsError, match="another idnews run is writing to"):
            with exclusive(tmp_path):
                pass
    with exclusive(tmp_path):  # released when the first run ends
        pass
