"""Finding the input files of a batch run, choosing their output paths, and refusing unsafe ``--out`` folders."""
from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from idnews.errors import IdnewsError

INPUT_SUFFIXES = frozenset({".txt", ".md", ".html", ".htm", ".jsonl"})


class UnsafeOutputError(IdnewsError):
    """The output folder would overwrite or re-read the inputs, or two inputs would share one output."""


@dataclass(frozen=True)
class InputFile:
    """One input file: where it is, its path relative to the input root, and where its output goes."""

    path: Path
    relative: PurePosixPath
    output: PurePosixPath
    #: Where a symbolic link found in an input folder points when that is outside the folder (followed).
    outside_target: Path | None = None

    @property
    def is_jsonl(self) -> bool:
        return self.path.suffix.lower() == ".jsonl"


def shown(path: str | os.PathLike[str] | None) -> str:
    """``path`` as text that any UTF-8 log can hold: bytes of a name that are not UTF-8 appear as ``\\xff``."""
    return os.fsencode(path or "").decode("utf-8", "backslashreplace")


def _walk(root: Path) -> Iterable[Path]:
    """Files under ``root`` in sorted order, skipping hidden files and folders, not following folder links."""
    for current, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield Path(current) / name


def _matches(relative: PurePosixPath, patterns: Sequence[str]) -> bool:
    text = relative.as_posix()
    return any(fnmatch.fnmatchcase(text, p) or fnmatch.fnmatchcase(relative.name, p) for p in patterns)


def _distinct(paths: Sequence[Path]) -> list[Path]:
    """``paths`` without repeats: the same file or folder given twice (under any spelling), or a file given
    beside a folder that holds it."""
    resolved = [path.resolve() for path in paths]
    folders = {r for path, r in zip(paths, resolved) if path.is_dir()}
    seen: set[Path] = set()
    kept: list[Path] = []
    for path, real in zip(paths, resolved):
        if real in seen or (not path.is_dir() and any(folder in real.parents for folder in folders)):
            continue
        seen.add(real)
        kept.append(path)
    return kept


def _outside(file: Path, root: Path) -> Path | None:
    """The target of ``file`` when it is a link leading out of the folder ``root``."""
    if not file.is_symlink():
        return None
    target = file.resolve()
    return None if _inside(target, root.resolve()) else target


def _candidates(paths: Sequence[Path]) -> list[tuple[Path, PurePosixPath, bool, Path | None]]:
    """(file, path relative to the output root, given explicitly, outside target) for every file under ``paths``.

    A file reached twice (a folder and a file in it, or the same folder twice) is taken once.
    """
    found: list[tuple[Path, PurePosixPath, bool, Path | None]] = []
    seen: set[Path] = set()
    roots = _distinct(paths)
    prefix_with_name = len(roots) > 1
    for given in roots:
        if given.is_dir():
            base = PurePosixPath(given.resolve().name) if prefix_with_name else PurePosixPath()
            files = [(file, base / PurePosixPath(file.relative_to(given).as_posix()), False, _outside(file, given))
                     for file in _walk(given)]
        else:
            files = [(given, PurePosixPath(given.name), True, None)]
        for entry in files:
            identity = entry[0].parent.resolve() / entry[0].name  # the link itself, not its target
            if identity not in seen:
                seen.add(identity)
                found.append(entry)
    return found


def output_name(relative: PurePosixPath, fmt: str, *, keep_suffix: bool = False) -> PurePosixPath:
    """The output path of one input: same folder, suffix replaced by the format (``.jsonl`` stays ``.jsonl``)."""
    if relative.suffix.lower() == ".jsonl":
        return relative
    if keep_suffix:
        return relative.with_name(f"{relative.name}.{fmt}")
    return relative.with_suffix(f".{fmt}")


def discover(
    paths: Sequence[str | os.PathLike[str]],
    fmt: str,
    *,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
) -> list[InputFile]:
    """Input files under ``paths`` (files or folders, recursive), filtered and sorted, with their output paths.

    A folder contributes its ``.txt``/``.md``/``.html``/``.htm``/``.jsonl`` files; hidden files and folders are
    skipped. ``include``/``exclude`` are glob patterns matched against the path relative to the folder and
    against the file name. Files named explicitly are always taken (an unsupported type then fails at read
    time with a clear reason). With one folder its contents are mirrored directly; with several paths each is
    mirrored under its own name; a path given twice counts once. Links to files are followed; those leading
    out of their folder carry their target in :attr:`InputFile.outside_target`, for the run summary to list.
    Folder links are not followed. When two inputs of one folder would share an output name (``a.txt`` and
    ``a.html``), both keep their full name (``a.txt.md``, ``a.html.md``).
    """
    roots = [Path(p) for p in paths]
    for root in roots:
        if not root.exists():
            raise IdnewsError(f"{root}: no such file or folder")
    selected: list[tuple[Path, PurePosixPath, Path | None]] = []
    for file, relative, explicit, outside in _candidates(roots):
        if not explicit:
            if file.suffix.lower() not in INPUT_SUFFIXES:
                continue
            if include and not _matches(relative, include):
                continue
        if exclude and _matches(relative, exclude):
            continue
        selected.append((file, relative, outside))

    plain = [output_name(rel, fmt) for _, rel, _ in selected]
    counts: dict[PurePosixPath, int] = {}
    for name in plain:
        counts[name] = counts.get(name, 0) + 1
    inputs = [
        InputFile(file, rel, output_name(rel, fmt, keep_suffix=counts[name] > 1), outside)
        for (file, rel, outside), name in zip(selected, plain)
    ]
    owners: dict[PurePosixPath, Path] = {}
    for item in inputs:
        other = owners.setdefault(item.output, item.path)
        if other != item.path:
            raise UnsafeOutputError(f"{other} and {item.path} would both be written to {item.output}; run them separately")
    return inputs


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def check_output_folder(paths: Sequence[str | os.PathLike[str]], out: str | os.PathLike[str]) -> None:
    """Refuse an ``out`` folder that equals or lies inside an input folder, or that holds an input.

    Such a folder would be read back as input on the next run, or its outputs could overwrite inputs.
    """
    out_resolved = Path(out).resolve()
    for given in paths:
        source = Path(given).resolve()
        if source.is_dir() and _inside(out_resolved, source):
            raise UnsafeOutputError(
                f"--out {out} is inside the input folder {given}; outputs would be read back as inputs. "
                "Choose an output folder outside the inputs."
            )
        if _inside(source, out_resolved):
            raise UnsafeOutputError(
                f"input {given} is inside --out {out}; outputs could overwrite inputs. "
                "Choose an output folder that holds no inputs."
            )
