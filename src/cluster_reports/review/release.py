"""``cluster-reports release``: blocks return from a reviewer's wording to the generated text.

Removes blocks of one document (all of them, or those named; in every language or those named) from
the cluster's ``<cluster-id>.overrides.yaml``, written atomically; the file goes when nothing is left.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import get_args

import yaml

from cluster_reports.atomic import write_text_atomic
from cluster_reports.inputs import params_io
from cluster_reports.inputs.schema.overrides import DocumentKind, Language
from cluster_reports.inputs.yaml_io import ParamsError, Problem, parse_yaml, read_bytes
from cluster_reports.review.harvest import HEADER


class ReleaseError(ValueError):
    pass


@dataclass
class Released:
    overrides: Path
    blocks: dict[str, list[str]] = field(default_factory=dict)  # block -> languages released
    removed: bool = False  # the file held nothing else and was removed


def overrides_file(target: str, params_root: Path) -> Path:
    """The overrides file of a cluster named by its id or its params file."""
    path = Path(target)
    if path.suffix in (".yaml", ".yml") or path.exists():
        if not path.is_file():
            raise ReleaseError(f"{path}: no such params file")
        return path.with_name(f"{path.stem.split('.')[0]}.overrides.yaml")
    return params_io.find_by_id(target, params_root).with_name(f"{target}.overrides.yaml")


def release(target: str, kind: str, blocks: list[str], langs: list[str], params_root: Path) -> Released:
    """Release ``blocks`` (none named: all) of document ``kind`` in ``langs`` (none named: all);
    raises ReleaseError or ParamsError naming the file, the field and the reason."""
    kinds = get_args(DocumentKind)
    if kind not in kinds:
        raise ReleaseError(f"--doc: {kind!r} is no document with reviewed wording (choose from "
                           f"{', '.join(kinds)})")
    for lang in langs:
        if lang not in get_args(Language):
            raise ReleaseError(f"--lang: unknown language {lang!r} (choose from id, en)")
    path = overrides_file(target, params_root)
    if not path.is_file():
        raise ReleaseError(f"{path}: no such file: the cluster has no reviewed wording to release")
    data = parse_yaml(read_bytes(path), path)
    documents = data.get("documents") if isinstance(data, dict) else None
    if not isinstance(documents, dict):
        raise ParamsError([Problem(str(path), "documents", "required mapping is missing")])
    reviewed = documents.get(kind)
    if not isinstance(reviewed, dict) or not reviewed:
        raise ReleaseError(f"{path}: documents.{kind}: no reviewed wording of the {kind} "
                           f"(the file has: {', '.join(documents) or 'none'})")
    for block in blocks:
        if block not in reviewed:
            raise ReleaseError(f"{path}: documents.{kind}.{block}: no such reviewed block (the {kind}'s "
                               f"reviewed blocks: {', '.join(reviewed)})")
    result = Released(path)
    for block in blocks or list(reviewed):
        by_lang = reviewed[block]
        if not isinstance(by_lang, dict):
            raise ParamsError([Problem(str(path), f"documents.{kind}.{block}",
                                       "give the block's languages as a mapping (id, en)")])
        chosen = [lang for lang in (langs or list(by_lang)) if lang in by_lang]
        if blocks and not chosen:
            raise ReleaseError(f"{path}: documents.{kind}.{block}: no reviewed wording in "
                               f"{', '.join(langs)} (it has: {', '.join(by_lang)})")
        for lang in chosen:
            del by_lang[lang]
        if chosen:
            result.blocks[block] = chosen
        if not by_lang:
            del reviewed[block]
    if not result.blocks:
        raise ReleaseError(f"{path}: documents.{kind}: no reviewed wording in {', '.join(langs)}")
    if not reviewed:
        del documents[kind]
    if not documents:
        path.unlink()
        result.removed = True
    else:
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100, default_flow_style=False)
        write_text_atomic(path, HEADER + text)
    return result


def main(target: str, kind: str, blocks: list[str], langs: list[str], params_root: Path, out, err) -> int:
    from rich.markup import escape

    try:
        result = release(target, kind, blocks, langs, params_root)
    except (ReleaseError, ParamsError) as exc:
        problems = exc.problems if isinstance(exc, ParamsError) else [str(exc)]
        for problem in problems:
            err.print(f"[red]error[/red] {escape(str(problem) if isinstance(problem, Problem) else problem)}")
        return 1
    released = ", ".join(f"{block} ({', '.join(which)})" for block, which in result.blocks.items())
    out.print(f"released {escape(kind)}: {escape(released)}: back to the generated text at the next render")
    if result.removed:
        out.print(f"removed {escape(str(result.overrides))}: no reviewed wording left")
    else:
        out.print(f"updated {escape(str(result.overrides))}")
    return 0
