"""`tradewire eval enrich`: the taxonomy and gazetteer measured on the labelled set."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from pydantic import ValidationError
from rich.table import Table

from enrich import Enricher
from enrich.evaluation import CORE_TAGS, EvaluationReport, LabelledItem, evaluate
from ingest.cli.common import console, load

DEFAULT_SET = Path(__file__).resolve().parents[2] / "tests" / "data" / "enrich_eval" / "items.jsonl"
TARGET_F1 = 0.9
TARGET_ENTITY_RECALL = 0.95


@click.group("eval")
def eval_group() -> None:
    """Measure tradewire against labelled data."""


def read_items(path: Path) -> list[LabelledItem]:
    items = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            items.append(LabelledItem.model_validate_json(line))
        except ValidationError as error:
            raise click.ClickException(f"{path}: line {number}: {error.errors()[0]['msg']}") from None
    return items


@eval_group.command("enrich")
@click.option("--set", "path", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=DEFAULT_SET,
              show_default=True, help="Labelled items, one JSON object per line.")
@click.option("--mistakes", is_flag=True, help="List every mistake (false positives, misses, modality, entities).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def eval_enrich(ctx: click.Context, path: Path, mistakes: bool, as_json: bool) -> None:
    """Per-tag precision, recall and F1, modality accuracy, entity recall, and hard negatives tagged.

    Exits with status 1 when a core tag's F1 is below 0.9 or entity recall below 0.95.
    """
    config = load(ctx)
    report = evaluate(Enricher(config.taxonomy, config.gazetteer), read_items(path))
    if as_json:
        sys.stdout.write(json.dumps(report_json(report), indent=2) + "\n")
    else:
        print_report(report, mistakes)
    if not meets_targets(report):
        sys.exit(1)


def meets_targets(report: EvaluationReport) -> bool:
    return all(report.tags[tag].f1 >= TARGET_F1 for tag in CORE_TAGS) and report.entity_recall >= TARGET_ENTITY_RECALL


def report_json(report: EvaluationReport) -> dict:  # type: ignore[type-arg]
    return {
        "items": report.items,
        "tags": {
            name: {
                "precision": round(s.precision, 3), "recall": round(s.recall, 3), "f1": round(s.f1, 3),
                "support": s.true_positives + s.false_negatives, "hard_negatives": s.hard_negatives,
                "hard_negatives_tagged": s.hard_negatives_tagged,
            }
            for name, s in sorted(report.tags.items())
        },
        "modality_accuracy": round(report.modality_accuracy, 3),
        "asserted": {"precision": round(report.asserted.precision, 3), "recall": round(report.asserted.recall, 3)},
        "entity_recall": round(report.entity_recall, 3),
        "mistakes": [{"item": m.item, "kind": m.kind, "detail": m.detail} for m in report.mistakes],
    }


def print_report(report: EvaluationReport, show_mistakes: bool) -> None:
    table = Table("tag", "precision", "recall", "F1", "support", "hard negatives tagged", "en F1", "zh F1", box=None)
    for name, score in sorted(report.tags.items(), key=lambda item: (item[0] not in CORE_TAGS, item[0])):
        marker = "" if name not in CORE_TAGS or score.f1 >= TARGET_F1 else " [red]below target[/red]"
        table.add_row(
            name, f"{score.precision:.3f}", f"{score.recall:.3f}", f"{score.f1:.3f}{marker}",
            str(score.true_positives + score.false_negatives), f"{score.hard_negatives_tagged}/{score.hard_negatives}",
            f"{report.by_language['en'][name].f1:.3f}", f"{report.by_language['zh'][name].f1:.3f}",
        )
    console.print(f"{report.items} labelled items")
    console.print(table)
    console.print(f"modality accuracy (tags found): {report.modality_accuracy:.3f}")
    console.print(f"measures stated as taken (what asserted: rules see): precision {report.asserted.precision:.3f}, "
                  f"recall {report.asserted.recall:.3f}")
    console.print(f"entity recall: {report.entity_recall:.3f} ({report.entities_found}/{report.entities_expected})")
    if show_mistakes:
        for mistake in report.mistakes:
            console.print(f"  {mistake.item} {mistake.kind}: {mistake.detail}", markup=False)


COMMANDS = [eval_group]
