"""``cluster-reports harvest``: a reviewer's wording becomes the source.

Reads reviewed Word reports, takes each block whose text differs from what was generated into it,
and writes it into ``<cluster-id>.overrides.yaml`` beside the cluster's params (merged with what is
already there). Later renders use it for Word and HTML alike (``compose.apply_overrides``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import get_args

import yaml

from cluster_reports.atomic import write_text_atomic
from cluster_reports.inputs import params_io
from cluster_reports.inputs.schema import Overrides
from cluster_reports.inputs.schema.overrides import DocumentKind
from cluster_reports.inputs.yaml_io import ParamsError, Problem, parse_yaml, read_bytes, validate

HEADER = (
    "# Reviewed wording, harvested from Word reports by `cluster-reports harvest`.\n"
    "# Per document, block and language: the paragraphs that replace the generated text.\n"
    "# Plain text; edit it here or harvest again after further review.\n"
)


@dataclass
class Harvested:
    source: Path
    overrides: Path
    blocks: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


class HarvestError(ValueError):
    pass


def harvest(docx_path: Path, params_root: Path) -> Harvested:
    """Harvest one reviewed .docx into its cluster's overrides file; raises HarvestError or
    ParamsError with the file and the reason."""
    from cluster_reports.review.reviewed import open_reviewed
    from cluster_reports.writers.docx.blocks import annotations

    try:
        reviewed = open_reviewed(docx_path)
    except Exception as exc:  # noqa: BLE001 - any unreadable file gets the same clear message
        raise HarvestError(f"{docx_path}: not a readable Word document ({exc})") from None
    props = reviewed.properties
    cluster_id, kind, lang = (props.get(k, "") for k in ("cluster_id", "document_kind", "language"))
    generated = reviewed.generated
    if generated is None or not kind or not lang:
        raise HarvestError(
            f"{docx_path}: no record of the generated text (cr_generated): not a document made by "
            "this version of cluster-reports, or its custom properties were removed"
        )
    if kind not in get_args(DocumentKind):
        raise HarvestError(f"{docx_path}: a {kind} is not a cluster's document; only those are harvested")
    if not cluster_id:
        raise HarvestError(f"{docx_path}: the general edition of the {kind} belongs to no cluster")
    params_file = params_io.find_by_id(cluster_id, params_root)
    target = params_file.with_name(f"{cluster_id}.overrides.yaml")
    data = (
        parse_yaml(read_bytes(target), target)
        if target.exists()
        else {"cluster": cluster_id, "documents": {}}
    )
    result = Harvested(docx_path, target)
    document = data.setdefault("documents", {}).setdefault(kind, {})
    for block, span in reviewed.reading.blocks.items():
        texts = span.texts()
        notes = annotations(span.elements)
        if notes:
            result.notes.append(f"{block}: {', '.join(notes)} (read with tracked changes accepted)")
        if texts != generated.get(block):
            document.setdefault(block, {})[lang] = texts
            result.blocks.append(block)
    for block in generated:
        if block not in reviewed.reading.blocks:  # the reviewer deleted the whole block
            document.setdefault(block, {})[lang] = []
            result.blocks.append(block)
    if not result.blocks:
        return result
    cluster = params_io.load_file(params_file).params
    validate(Overrides, data, target, {"cluster": cluster})
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100, default_flow_style=False)
    write_text_atomic(target, HEADER + text)
    return result


def main(paths: list[Path], params_root: Path, out, err) -> int:
    from rich.markup import escape

    failed = False
    for path in paths:
        try:
            result = harvest(path, params_root)
        except (HarvestError, ParamsError) as exc:
            problems = exc.problems if isinstance(exc, ParamsError) else [str(exc)]
            for problem in problems:
                text = str(problem) if isinstance(problem, Problem) else problem
                err.print(f"[red]error[/red] {escape(text)}")
            failed = True
            continue
        if result.blocks:
            out.print(f"harvested {escape(str(path))}: {escape(', '.join(result.blocks))} "
                      f"-> {escape(str(result.overrides))}")
        else:
            out.print(f"{escape(str(path))}: no block differs from the generated text; nothing to harvest")
        for note in result.notes:
            out.print(f"[yellow]note:[/yellow] {escape(note)}")
    return 1 if failed else 0
