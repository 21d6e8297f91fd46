"""`tradewire eval enrich`: the taxonomy and gazetteer measured on the labelled set."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from pydantic import ValidationError
from rich.table import Table

from tradewire.enrich import Enricher
from tradewire.enrich.evaluation import CORE_TAGS, EvaluationReport, LabelledItem, TagScore, evaluate
from tradewire.ingest.cli.common import console, load

EVAL_DIR = Path(__file__).resolve().parents[2] / "tests" / "data" / "enrich_eval"
DEFAULT_SET = EVAL_DIR / "items.jsonl"
# The rules are tuned on dev; test is kept out of tuning (see tests/data/enrich_eval/README.md).
SPLITS = {
    "dev": ["items.jsonl", "dev_en.jsonl", "dev_zh.jsonl", "dev2_en.jsonl", "dev2_zh.jsonl", "dev3_en.jsonl", "dev3_zh.jsonl",
            "dev4_en.jsonl", "dev4_zh.jsonl", "dev5_en.jsonl", "pages_dev.jsonl"],
    "test": ["holdout.jsonl", "test_en.jsonl", "test_zh.jsonl", "test2_en.jsonl", "test2_zh.jsonl", "test3_en.jsonl",
             "pages_test.jsonl"],
}
LANGUAGES = ("en", "zh")
TARGET_F1 = 0.92
TARGET_MODALITY = 0.9
TARGET_ROLES = 0.85
TARGET_ENTITY_RECALL = 0.95


@click.group("eval")
def eval_group() -> None:
    """Measure tradewire against labelled data."""


def read_split(name: str) -> list[LabelledItem]:
    return [item for file in SPLITS[name] if (EVAL_DIR / file).exists() for item in read_items(EVAL_DIR / file)]


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
@click.option("--split", "splits", type=click.Choice(sorted(SPLITS)), multiple=True,
              help="Labelled split to measure (repeatable); default: dev and test.")
@click.option("--set", "path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Measure one file of labelled items (one JSON object per line) instead of the splits.")
@click.option("--mistakes", is_flag=True, help="List every mistake (false positives, misses, modality, events, entities).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def eval_enrich(ctx: click.Context, splits: tuple[str, ...], path: Path | None, mistakes: bool, as_json: bool) -> None:
    """Per-tag precision, recall and F1 per language, modality accuracy, event actor and target accuracy,
    entity recall, and hard negatives tagged, on the dev split (tuned on) and the test split (kept out).

    Exits with status 1 when a measured set misses a target: F1 0.92 for every core tag in English and in
    Chinese, modality 0.9, event actor and target 0.85 each.
    """
    config = load(ctx)
    enricher = Enricher(config.taxonomy, config.gazetteer)
    sets = {str(path): read_items(path)} if path else {name: read_split(name) for name in (splits or ("dev", "test"))}
    reports = {name: evaluate(enricher, items) for name, items in sets.items()}
    if as_json:
        sys.stdout.write(json.dumps({name: report_json(report) for name, report in reports.items()}, indent=2) + "\n")
    else:
        for name, report in reports.items():
            print_report(name, report, mistakes)
    if not all(meets_targets(report) for report in reports.values()):
        sys.exit(1)


def shortfalls(report: EvaluationReport) -> list[str]:
    """Each target the report misses, in words."""
    missed = []
    for language in LANGUAGES:
        for tag in CORE_TAGS:
            score = report.by_language[language][tag]
            if score.true_positives + score.false_negatives and score.f1 < TARGET_F1:
                missed.append(f"{tag} ({language}) F1 {score.f1:.3f} < {TARGET_F1}")
    for label, value, target in (
        ("modality accuracy", report.modality_accuracy, TARGET_MODALITY),
        ("event actor accuracy", report.actor_accuracy, TARGET_ROLES),
        ("event target accuracy", report.target_accuracy, TARGET_ROLES),
        ("entity recall", report.entity_recall, TARGET_ENTITY_RECALL),
    ):
        if value < target:
            missed.append(f"{label} {value:.3f} < {target}")
    return missed


def meets_targets(report: EvaluationReport) -> bool:
    return not shortfalls(report)


def _scores_json(scores: dict[str, TagScore]) -> dict[str, dict[str, float | int]]:
    return {
        name: {
            "precision": round(s.precision, 3), "recall": round(s.recall, 3), "f1": round(s.f1, 3),
            "support": s.true_positives + s.false_negatives, "hard_negatives": s.hard_negatives,
            "hard_negatives_tagged": s.hard_negatives_tagged,
        }
        for name, s in sorted(scores.items())
    }


def report_json(report: EvaluationReport) -> dict:  # type: ignore[type-arg]
    return {
        "items": report.items,
        "tags": _scores_json(report.tags),
        "by_language": {language: _scores_json(scores) for language, scores in sorted(report.by_language.items())},
        "modality_accuracy": round(report.modality_accuracy, 3),
        "asserted": {"precision": round(report.asserted.precision, 3), "recall": round(report.asserted.recall, 3)},
        "events": {
            "expected": report.events_expected, "same_measure": report.events_same_measure,
            "actor_accuracy": round(report.actor_accuracy, 3), "target_accuracy": round(report.target_accuracy, 3),
            "given": report.events_given, "precision": round(report.event_precision, 3),
        },
        "entity_recall": round(report.entity_recall, 3),
        "shortfalls": shortfalls(report),
        "mistakes": [{"item": m.item, "kind": m.kind, "detail": m.detail} for m in report.mistakes],
    }


def print_report(name: str, report: EvaluationReport, show_mistakes: bool) -> None:
    table = Table("tag", "P", "R", "F1", "support", "hard neg. tagged",
                  *(f"{language} P/R/F1 (n)" for language in LANGUAGES), box=None)
    for tag, score in sorted(report.tags.items(), key=lambda item: (item[0] not in CORE_TAGS, item[0])):
        cells = []
        for language in LANGUAGES:
            by = report.by_language[language][tag]
            support = by.true_positives + by.false_negatives
            low = tag in CORE_TAGS and support and by.f1 < TARGET_F1
            cell = f"{by.precision:.2f}/{by.recall:.2f}/{by.f1:.2f} ({support})"
            cells.append(f"[red]{cell}[/red]" if low else cell)
        table.add_row(
            tag, f"{score.precision:.3f}", f"{score.recall:.3f}", f"{score.f1:.3f}",
            str(score.true_positives + score.false_negatives), f"{score.hard_negatives_tagged}/{score.hard_negatives}", *cells,
        )
    console.print(f"[bold]{name}[/bold]: {report.items} labelled items")
    console.print(table)
    others = sorted(set(report.by_language) - set(LANGUAGES))
    if others:
        wrong = sum(score.false_positives for language in others for score in report.by_language[language].values())
        console.print(f"languages without rules ({', '.join(others)}): {wrong} tags given (there should be none)")
    console.print(f"modality accuracy (tags found): {report.modality_accuracy:.3f}")
    console.print(f"measures stated as taken (what asserted: rules see): precision {report.asserted.precision:.3f}, "
                  f"recall {report.asserted.recall:.3f}")
    if report.events_expected:
        console.print(f"events: {report.events_expected} labelled, {report.events_same_measure} found with the same measure; "
                      f"actor accuracy {report.actor_accuracy:.3f}, target accuracy {report.target_accuracy:.3f}; "
                      f"{report.events_given} given, precision {report.event_precision:.3f} (of a measure labelled in the item)")
    console.print(f"entity recall: {report.entity_recall:.3f} ({report.entities_found}/{report.entities_expected})")
    for missed in shortfalls(report):
        console.print(f"[red]below target:[/red] {missed}")
    if show_mistakes:
        for mistake in report.mistakes:
            console.print(f"  {mistake.item} {mistake.kind}: {mistake.detail}", markup=False)
    console.print()


COMMANDS = [eval_group]


SCREENING_PAIRS = Path(__file__).resolve().parents[2] / "tests" / "data" / "screening" / "pairs.jsonl"
LIST_FIXTURES = Path(__file__).resolve().parents[2] / "tests" / "data" / "lists"
TARGET_SCREEN_PRECISION = 0.97
TARGET_SCREEN_RECALL = 0.9


@eval_group.command("screen")
@click.option("--split", "splits", type=click.Choice(["dev", "test"]), multiple=True,
              help="Labelled split to measure (repeatable); default: dev and test.")
@click.option("--mistakes", is_flag=True, help="List every false match and every miss.")
def eval_screen(splits: tuple[str, ...], mistakes: bool) -> None:
    """Precision and recall of name screening on labelled name pairs (tests/data/screening), each pair's
    listed name screened among the list fixtures' entries. Exits with status 1 below precision 0.97 or recall 0.9."""
    from tradewire.enrich.screening.evaluation import LabelledPair
    from tradewire.enrich.screening.evaluation import evaluate as evaluate_screening
    from tradewire.ingest.lists import FORMATS, read_list

    pairs = []
    for number, line in enumerate(SCREENING_PAIRS.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            try:
                pairs.append(LabelledPair.model_validate_json(line))
            except ValidationError as error:
                raise click.ClickException(f"{SCREENING_PAIRS}: line {number}: {error.errors()[0]['msg']}") from None
    wanted = set(splits or ("dev", "test"))
    distractors = []
    for path in sorted(LIST_FIXTURES.glob("*.*")):
        if path.stem in FORMATS:
            with path.open("rb") as stream:
                distractors += read_list(stream, path.stem, path.stem)
    reports = evaluate_screening([pair for pair in pairs if pair.split in wanted], distractors)
    met = True
    for name, report in reports.items():
        console.print(f"[bold]{name}[/bold]: {len(report.outcomes)} pairs, precision {report.precision:.3f}, recall {report.recall:.3f}")
        met = met and report.precision >= TARGET_SCREEN_PRECISION and report.recall >= TARGET_SCREEN_RECALL
        if mistakes:
            for outcome in report.false_positives:
                console.print(f"  false match: {outcome.pair.query!r} ~ {outcome.pair.listed!r} ({outcome.score}: {outcome.why})", markup=False)
            for outcome in report.misses:
                console.print(f"  missed: {outcome.pair.query!r} ~ {outcome.pair.listed!r} ({outcome.pair.note})", markup=False)
    if not met:
        sys.exit(1)

