"""The command line as a whole: shared options spelled alike, impossible options refused up front, one summary
line, and nothing on the terminal but idnews's own lines."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from conftest import REPO
from idnews.cli import COMMANDS, cli, main

PAGES = REPO / "examples" / "pages"


def walk(group: click.Group, ctx: click.Context, prefix: str = "") -> list[tuple[str, click.Command]]:
    found = []
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None, name
        path = f"{prefix} {name}".strip()
        if isinstance(command, click.Group):
            found += walk(command, click.Context(command, parent=ctx), path)
        else:
            found.append((path, command))
    return found


def option_shape(option: click.Option) -> tuple[object, ...]:
    """What must agree between two commands that share an option: every spelling, flag or value, its type."""
    kind = "flag" if option.is_flag else type(option.type).__name__
    return tuple(sorted(option.opts)), tuple(sorted(option.secondary_opts)), kind


def test_the_walk_sees_every_command() -> None:
    commands = dict(walk(cli, click.Context(cli)))
    assert {"clean", "show", "summarize", "translate", "process", "models fetch", "eval summaries", "eval run"} <= set(commands)
    assert set(COMMANDS) == {path.split()[0] for path in commands}


def test_shared_options_are_spelled_alike_in_every_command() -> None:
    by_spelling: dict[str, dict[tuple[object, ...], list[str]]] = defaultdict(lambda: defaultdict(list))
    for path, command in walk(cli, click.Context(cli)):
        for param in command.params:
            if isinstance(param, click.Option):
                for spelling in [*param.opts, *param.secondary_opts]:
                    by_spelling[spelling][option_shape(param)].append(path)
    disagreements = {spelling: dict(shapes) for spelling, shapes in by_spelling.items() if len(shapes) > 1}
    assert not disagreements, disagreements
    # the ones users type most, checked by name as well
    assert by_spelling["-n"] and all(shape[0] == ("--bullets", "--n", "-n") for shape in by_spelling["-n"])
    assert {path for paths in by_spelling["-n"].values() for path in paths} == {"summarize", "process", "eval summaries"}
    assert all(shape[0] == ("--out", "-o") for shape in by_spelling["--out"])


@pytest.mark.parametrize(("command", "spelling"), [
    ("summarize", "--n"), ("summarize", "-n"), ("summarize", "--bullets"), ("process", "--n"), ("process", "-n"),
])
def test_every_spelling_of_n_is_accepted(command: str, spelling: str, tmp_path: Path) -> None:
    page = PAGES / "cnbc_ekspor_nikel.txt"
    result = CliRunner().invoke(cli, [command, str(page), "--out", str(tmp_path), spelling, "2", "--method", "lead", "-q"])
    assert result.exit_code == 0, result.output
    written = tmp_path / (page.name if command == "summarize" else page.stem + ".md")
    bullets = [line for line in written.read_text(encoding="utf-8").splitlines() if line.startswith("- ")]
    assert len(bullets) == 2, bullets


def test_eval_summaries_takes_short_n(indosum_path: Path) -> None:
    result = CliRunner().invoke(cli, ["eval", "summaries", "--data", "indosum-test", "--method", "lead",
                                      "-n", "2", "--limit", "3", "--bootstrap", "0"])
    assert result.exit_code == 0, result.output
    assert "bullets:2" in result.output


@pytest.mark.parametrize(("args", "message"), [
    (["summarize", "--method", "oracle"], "needs the reference summary of each article"),
    (["process", "--method", "oracle"], "needs the reference summary of each article"),
    (["summarize", "--method", "best"], "unknown summarisation method 'best'"),
    (["summarize", "--method", "hf:"], "needs a model after the colon"),
    (["summarize", "--model", "opus-mt-id-en"], "--model: only used with --lang en"),
    (["summarize", "--beam-size", "4", "--batch-sentences", "8"], "--beam-size, --batch-sentences: only used with --lang en"),
    (["translate", "--backend", "fast"], "'fast' is not one of 'auto', 'ct2', 'hf'"),
])
def test_options_that_cannot_work_are_usage_errors_before_any_input_is_read(
    args: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "broken.html").write_bytes(b"\x00\x01 not a page")
    out = tmp_path / "out"
    with pytest.raises(SystemExit) as exited:
        main([args[0], str(pages), "--out", str(out), *args[1:]])
    assert exited.value.code == 2
    err = " ".join(capsys.readouterr().err.split())
    assert message in err
    assert not out.exists()  # nothing was read, so nothing was written (no errors.jsonl either)


def test_clean_prints_the_same_summary_line_as_the_other_folder_commands(tmp_path: Path) -> None:
    runner = CliRunner()
    cleaned = runner.invoke(cli, ["clean", str(PAGES), "--out", str(tmp_path / "clean")])
    summarised = runner.invoke(cli, ["summarize", str(PAGES), "--out", str(tmp_path / "summ"), "--method", "lead"])
    assert cleaned.exit_code == summarised.exit_code == 0
    assert cleaned.output.splitlines()[-1].startswith("5 files: 5 ok, 0 failed, 0 skipped, 0 warnings; ")
    assert summarised.output.splitlines()[-1].startswith("5 files: 5 ok, 0 failed, 0 skipped, 0 warnings; ")
    one = runner.invoke(cli, ["clean", str(PAGES / "cnbc_ekspor_nikel.txt"), "--out", str(tmp_path / "one")])
    assert one.output.splitlines()[-1].startswith("1 file: 1 ok, 0 failed, 0 skipped, 0 warnings; ")


def test_show_numbers_body_paragraphs_consecutively_across_headings() -> None:
    result = CliRunner().invoke(cli, ["show", str(PAGES / "idntimes_hujan_lebat.txt")])
    assert result.exit_code == 0, result.output
    numbers = [int(line[1:line.index("]")]) for line in result.output.splitlines() if line.startswith("[")]
    assert "## " in result.output  # the page has headings between its paragraphs
    assert numbers == list(range(1, len(numbers) + 1))
    as_json = CliRunner().invoke(cli, ["show", str(PAGES / "idntimes_hujan_lebat.txt"), "--format", "json"])
    assert json.loads(as_json.output)["title"]


def test_commands_print_only_idnews_lines(tmp_path: Path, opus_config_dir: Path) -> None:
    """No third-party progress bars ("Loading weights") or advice ("pip install sacremoses") around a
    translation that loads a transformers checkpoint and converts it to CTranslate2."""
    from idnews.testing import build_marian

    model = build_marian(tmp_path / "tiny", config_dir=opus_config_dir)
    env = {**os.environ, "IDNEWS_CACHE": str(tmp_path / "cache"), "PYTHONWARNINGS": "default"}
    for name in ("HF_HUB_DISABLE_PROGRESS_BARS", "TRANSFORMERS_VERBOSITY", "TRANSFORMERS_NO_ADVISORY_WARNINGS"):
        env.pop(name, None)
    command = [sys.executable, "-m", "idnews", "translate", str(PAGES / "cnbc_ekspor_nikel.txt"),
               "--out", str(tmp_path / "out"), "--model", str(model), "--beam-size", "1"]
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    # idnews's own progress bar (carriage-return frames) and its summary line, nothing else
    lines = [line for line in done.stderr.replace("\r", "\n").splitlines() if line.strip()]
    assert lines[-1].startswith("1 file: 1 ok, 0 failed, 0 skipped")
    assert all("file/s" in line or "/1 [" in line for line in lines[:-1]), lines
    converted = subprocess.run([sys.executable, "-m", "idnews", "models", "convert", str(model), "--out",
                                str(tmp_path / "ct2")], capture_output=True, text=True, env=env, timeout=300)
    assert converted.returncode == 0 and converted.stderr == "", converted.stderr
    assert json.loads(converted.stdout)["path"] == str(tmp_path / "ct2")


def test_one_environment_variable_points_at_the_shared_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from idnews.evaluation.datasets import load_eval_dataset, seeds_dir
    from idnews.paths import data_dir

    shared = tmp_path / "elsewhere"
    (shared / "seeds").mkdir(parents=True)
    (shared / "seeds" / "page.txt").write_text((PAGES / "idntimes_hujan_lebat.txt").read_text(encoding="utf-8"),
                                               encoding="utf-8")
    for name in ("IDNEWS_DATA", "IDNEWS_SEEDS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("IDNEWS_SHARED", str(shared))
    assert data_dir() == shared / "data" and seeds_dir() == shared / "seeds"
    assert len(load_eval_dataset("seeds-intinya").items) == 1
    with pytest.raises(Exception, match="set IDNEWS_SHARED to the folder holding data/mt/"):
        load_eval_dataset("flores200-devtest")
    documented = (REPO / "README.md").read_text(encoding="utf-8") + (REPO / "eval" / "README.md").read_text(encoding="utf-8")
    assert "IDNEWS_SHARED" in documented and "IDNEWS_DATA" not in documented and "IDNEWS_SEEDS" not in documented
