"""``cluster-reports harvest``: a reviewer's wording becomes the source.

Reads reviewed Word reports, takes each block whose text differs from what was generated into it,
and writes it into ``<cluster-id>.overrides.yaml`` beside the cluster's params (merged with what is
already there). Later renders use it for Word and HTML alike (``compose.apply_overrides``).
With each block goes the text generated into it (its basis), whose figures later renders compare
with the data's; the bold, italic and links of the reviewer's words go as spans.
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
from cluster_reports.review import spans

HEADER = (
    "# Reviewed wording, harvested from Word reports by `cluster-reports harvest`.\n"
    "# Per document, block and language: `text`, the paragraphs that replace the generated text\n"
    "# (plain text, or spans of it that are bold, italic or linked), and `generated`, the text\n"
    "# generated then: renders warn while the wording quotes figures the data no longer gives.\n"
    "# Edit it here, harvest again after further review, or `cluster-reports release` a block.\n"
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
    from cluster_reports.writers.docx.blocks import annotations, paragraphs
    from cluster_reports.writers.docx.formatting import fingerprint

    try:
        reviewed = open_reviewed(docx_path)
    except Exception as exc:  # noqa: BLE001 - any unreadable file gets the same clear message
        raise HarvestError(f"{docx_path}: not a readable Word document ({exc})") from None
    if reviewed.damage is not None:  # what the reviewer changed cannot be told: nothing is written
        raise HarvestError(f"{docx_path}: generation record: {reviewed.damage}; the reviewer's edits "
                           "cannot be told from the generated text, so nothing was harvested")
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
    now: list[dict[str, list[str]]] = []  # the template's text now, composed when first needed

    def basis(block: str) -> list[str]:
        """What the template generated into the block: the Word file's record, unless that is the
        wording harvested before (the file was rendered from it), when it is the template's now."""
        before = document.get(block, {}).get(lang) if isinstance(document.get(block), dict) else None
        if before is None or _plain(before) != generated.get(block):
            return list(generated.get(block, []))
        if not now:
            try:
                now.append(_template_blocks(params_file, kind, lang, params_root))
            except ParamsError:
                raise
            except Exception as exc:  # noqa: BLE001 - a template or data error, said plainly
                raise HarvestError(f"{docx_path}: the {kind} could not be composed to record what it "
                                   f"generates now beside the wording ({exc})") from None
        return now[0].get(block, [])

    rels = reviewed.word.part.rels
    formats = reviewed.formats
    for block, span in reviewed.reading.blocks.items():
        texts = span.texts()
        notes = annotations(span.elements)
        if notes:
            result.notes.append(f"{block}: {', '.join(notes)} (read with tracked changes accepted)")
        # Formatting alone is an edit too: the block's record says how it was generated.
        formatted = block in formats and fingerprint(span.elements, reviewed.word) != formats[block]
        if texts != generated.get(block) or formatted:
            read = [_read(p, rels) for top in span.elements for p in paragraphs(top)]
            unshown = sorted({name for r in read for name in r.unshown})
            if unshown:
                result.notes.append(f"{block}: {', '.join(unshown)} kept in the Word file only "
                                    "(the reviewed wording keeps bold, italic and links)")
            wording = {"text": [r.paragraph for r in read], "generated": basis(block)}
            document.setdefault(block, {})[lang] = wording
            result.blocks.append(block)
    for block in generated:
        if block not in reviewed.reading.blocks:  # the reviewer deleted the whole block
            document.setdefault(block, {})[lang] = {"text": [], "generated": basis(block)}
            result.blocks.append(block)
    if not result.blocks:
        return result
    cluster = params_io.load_file(params_file).params
    validate(Overrides, data, target, {"cluster": cluster})
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100, default_flow_style=False)
    write_text_atomic(target, HEADER + text)
    return result


def _read(p, rels) -> spans.Read:
    """A reviewed paragraph's wording; a caption's without the label and number the writer puts
    before it (plain text: the caption is written in the caption's own style)."""
    from cluster_reports.writers.docx.captions import caption_text, is_caption

    read = spans.read_paragraph(p, rels)
    if is_caption(p):
        read.paragraph = caption_text(p)
    return read


def _plain(wording: object) -> list[str] | None:
    """The paragraphs' texts of a block's wording as the overrides file holds it (either form)."""
    paragraphs = wording.get("text") if isinstance(wording, dict) else wording
    if not isinstance(paragraphs, list):
        return None
    return ["".join(s.get("text", "") for s in p if isinstance(s, dict)) if isinstance(p, list) else p
            for p in paragraphs]


def _template_blocks(params_file: Path, kind: str, lang: str, params_root: Path) -> dict[str, list[str]]:
    """The blocks' texts as the template generates them now, without the reviewed wording."""
    from dataclasses import replace

    from cluster_reports import resources
    from cluster_reports.compose import composer
    from cluster_reports.compose.tree import Block
    from cluster_reports.domain import summary

    loaded = params_io.load_file(params_file)
    loaded = replace(loaded, parts={k: v for k, v in loaded.parts.items() if k != "overrides"})
    everyone, _problems = params_io.load_many([params_root])
    peers = [summary.summarise(item) for item in everyone]
    doc = composer.compose(loaded, kind, lang, peers, resources.templates())
    return {node.id: composer.block_texts(node) for node in doc.nodes if isinstance(node, Block)}


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
