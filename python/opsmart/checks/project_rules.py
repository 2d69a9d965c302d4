"""The project's structure rules (CONTRIBUTING.md), checked over dbt's `manifest.json`.

dbt-project-evaluator cannot be installed here (no dbt hub), so the rules we honour
by convention are checked by these small functions instead. Each rule takes the
parsed manifest and returns its violations; `check` runs them all and drops the
ones listed in `seeds/project_rule_exceptions.csv` (rule, column, id_pattern,
comment — `column` names the field `id_pattern` is matched against, `unique_id`).

A model's layer is its top folder under models/ (staging, intermediate, marts,
reports, utilities), with one sub-layer: ``models/reports/prep/<area>/`` holds the
reports' preparation models (fits, prices, optimised staffing computed over the
marts). They are intermediate steps, so they keep the ``int_`` verb names and are
protected and uncontracted, but they belong to the reports layer: they read marts
and each other, and only reports read them. The folder, not the name, says so:
``prep`` is the one place a report's intermediate step may live. Data flows one
way (`layer_direction`): utilities < staging < intermediate < marts < reports/prep
< reports; a model reads its own layer or a lower one, and a report reads no other
report (a roll-up reads the facts or prepared rows the finer report reads).
"""

from __future__ import annotations

import csv
import fnmatch
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["RULES", "Violation", "check", "load_exceptions"]

Manifest = dict[str, Any]

#: Model name prefixes allowed in each layer (top-level folder of models/, and
#: reports/prep for the reports' preparation models).
FOLDER_PREFIXES = {
    "staging": ("stg_", "base_"),
    "intermediate": ("int_",),
    "marts": ("fct_", "dim_"),
    "reports/prep": ("int_",),
    "reports": ("rpt_",),
    "utilities": ("util_",),
}
#: The layers in the direction data flows: a model reads only models of its own
#: layer or a lower one (utilities are spines every layer may read).
LAYER_ORDER = (
    "utilities",
    "staging",
    "intermediate",
    "marts",
    "reports/prep",
    "reports",
)
#: Layers whose models may not read each other: a report reads no other report.
LEAF_LAYERS = ("reports",)
PUBLIC_FOLDERS = ("marts", "reports")
MAX_REFS = 6
MAX_VIEW_CHAIN = 4
PRIMARY_KEY_TESTS = {"primary_key", "unique", "unique_combination_of_columns"}


@dataclass(frozen=True)
class Violation:
    """One broken rule: which rule, which node, and what to do about it."""

    rule: str
    unique_id: str
    message: str

    def __str__(self) -> str:
        return f"[{self.rule}] {self.unique_id}: {self.message}"


def _models(manifest: Manifest) -> dict[str, Any]:
    return {
        uid: node
        for uid, node in manifest["nodes"].items()
        if node["resource_type"] == "model"
    }


def _folder(node: dict[str, Any]) -> str:
    """The model's layer: its top folder, or reports/prep (see the module doc)."""
    parts = Path(node["original_file_path"]).parts
    if len(parts) > 3 and parts[1:3] == ("reports", "prep"):
        return "reports/prep"
    return parts[1] if len(parts) > 2 else ""


def _parents(node: dict[str, Any], kind: str) -> list[str]:
    return [p for p in node["depends_on"]["nodes"] if p.startswith(kind + ".")]


def model_naming(manifest: Manifest) -> Iterable[Violation]:
    """Model names carry their layer's prefix (stg_, int_, fct_/dim_, rpt_, util_)."""
    for uid, node in _models(manifest).items():
        prefixes = FOLDER_PREFIXES.get(_folder(node))
        if prefixes is None:
            yield Violation("model_naming", uid, "model outside a layer folder")
        elif not node["name"].startswith(prefixes):
            yield Violation(
                "model_naming", uid, f"name should start with {' or '.join(prefixes)}"
            )


def staging_reads_one_source(manifest: Manifest) -> Iterable[Violation]:
    """A staging model reads exactly one source and no model but its own base_."""
    for uid, node in _models(manifest).items():
        if _folder(node) != "staging" or node["name"].startswith("base_"):
            continue
        sources = _parents(node, "source")
        models = [p for p in _parents(node, "model") if ".base_" not in p]
        if len(sources) != 1 and not _parents(node, "model"):
            yield Violation(
                "staging_reads_one_source", uid, f"reads {len(sources)} sources"
            )
        if models:
            yield Violation(
                "staging_reads_one_source", uid, f"reads models {', '.join(models)}"
            )


def no_sources_downstream(manifest: Manifest) -> Iterable[Violation]:
    """Only staging reads sources; intermediate, marts and reports read models."""
    for uid, node in _models(manifest).items():
        if _folder(node) != "staging" and _parents(node, "source"):
            yield Violation("no_sources_downstream", uid, "reads a source directly")


def one_child_per_source(manifest: Manifest) -> Iterable[Violation]:
    """Each source table has exactly one child model: its staging model."""
    for uid in manifest["sources"]:
        children = [
            c for c in manifest["child_map"].get(uid, []) if c.startswith("model.")
        ]
        if len(children) != 1:
            yield Violation(
                "one_child_per_source", uid, f"has {len(children)} child models"
            )


def too_many_refs(manifest: Manifest) -> Iterable[Violation]:
    """Fewer than 7 refs per model (split a mart with more into intermediates)."""
    for uid, node in _models(manifest).items():
        refs = len(_parents(node, "model"))
        if refs > MAX_REFS:
            yield Violation("too_many_refs", uid, f"{refs} refs (max {MAX_REFS})")


def root_models(manifest: Manifest) -> Iterable[Violation]:
    """Only util_ spines may have no parents at all."""
    for uid, node in _models(manifest).items():
        if not node["depends_on"]["nodes"] and not node["name"].startswith("util_"):
            yield Violation("root_models", uid, "has no parents; only util_ may")


def layer_direction(manifest: Manifest) -> Iterable[Violation]:
    """A model reads only its own layer or lower ones; a report reads no report."""
    models = _models(manifest)
    rank = {layer: index for index, layer in enumerate(LAYER_ORDER)}
    for uid, node in models.items():
        layer = _folder(node)
        if layer not in rank:
            continue
        for parent in _parents(node, "model"):
            if parent not in models:
                continue
            parent_layer = _folder(models[parent])
            if parent_layer not in rank:
                continue
            if rank[parent_layer] > rank[layer]:
                yield Violation(
                    "layer_direction",
                    uid,
                    f"{layer} model reads {parent_layer} model {parent}; "
                    "data flows staging -> intermediate -> marts -> reports",
                )
            elif parent_layer == layer and layer in LEAF_LAYERS:
                yield Violation(
                    "layer_direction",
                    uid,
                    f"reads the report {parent}; read the marts or the "
                    "reports/prep model it reads instead",
                )


def documented(manifest: Manifest) -> Iterable[Violation]:
    """Every model, source and source table has a description."""
    for uid, node in _models(manifest).items():
        if not node["description"].strip():
            yield Violation("documented", uid, "model has no description")
    for uid, source in manifest["sources"].items():
        if not source["source_description"].strip():
            yield Violation("documented", uid, "source has no description")
        if not source["description"].strip():
            yield Violation("documented", uid, "source table has no description")


def public_models_contracted(manifest: Manifest) -> Iterable[Violation]:
    """Marts and reports are public, contracted and document every column's type."""
    for uid, node in _models(manifest).items():
        if _folder(node) not in PUBLIC_FOLDERS:
            continue
        if node["access"] != "public":
            yield Violation("public_models_contracted", uid, "access is not public")
        if not node["config"]["contract"]["enforced"]:
            yield Violation("public_models_contracted", uid, "contract not enforced")
        for name, column in node["columns"].items():
            if not column.get("data_type") or not column["description"].strip():
                yield Violation(
                    "public_models_contracted",
                    uid,
                    f"column {name} lacks a data_type or description",
                )


def primary_key_tested(manifest: Manifest) -> Iterable[Violation]:
    """Every model has a primary_key, unique or unique_combination_of_columns test."""
    tested = {
        node.get("attached_node")
        for node in manifest["nodes"].values()
        if node["resource_type"] == "test"
        and (node.get("test_metadata") or {}).get("name") in PRIMARY_KEY_TESTS
    }
    for uid in _models(manifest):
        if uid not in tested:
            yield Violation("primary_key_tested", uid, "no primary key / grain test")


def source_freshness(manifest: Manifest) -> Iterable[Violation]:
    """Every source has warn_after, error_after and a loaded_at_field."""
    for uid, source in manifest["sources"].items():
        freshness = source.get("freshness") or {}
        complete = all(
            (freshness.get(key) or {}).get("count")
            for key in ("warn_after", "error_after")
        )
        if not complete or not source.get("loaded_at_field"):
            yield Violation("source_freshness", uid, "freshness or loaded_at missing")


def view_chain_length(manifest: Manifest) -> Iterable[Violation]:
    """Chains of views/ephemeral models are at most 4 long (else materialise one)."""
    models = _models(manifest)
    lazy = {
        uid
        for uid, node in models.items()
        if node["config"]["materialized"] in ("view", "ephemeral")
    }
    depth: dict[str, int] = {}

    def chain(uid: str) -> int:
        if uid not in depth:
            upstream = [p for p in _parents(models[uid], "model") if p in lazy]
            depth[uid] = 1 + max((chain(p) for p in upstream), default=0)
        return depth[uid]

    for uid in sorted(lazy):
        if chain(uid) > MAX_VIEW_CHAIN:
            yield Violation(
                "view_chain_length", uid, f"chain of {depth[uid]} views/ephemerals"
            )


RULES: tuple[Callable[[Manifest], Iterable[Violation]], ...] = (
    model_naming,
    staging_reads_one_source,
    no_sources_downstream,
    one_child_per_source,
    too_many_refs,
    root_models,
    layer_direction,
    documented,
    public_models_contracted,
    primary_key_tested,
    source_freshness,
    view_chain_length,
)


def load_exceptions(path: Path | str) -> list[dict[str, str]]:
    """Read the exceptions seed (rule, column, id_pattern, comment)."""
    with Path(path).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def check(
    manifest: Manifest, exceptions: Iterable[dict[str, str]] = ()
) -> list[Violation]:
    """Run every rule over `manifest`; return the violations not excepted."""
    allowed = list(exceptions)
    return [
        violation
        for rule in RULES
        for violation in rule(manifest)
        if not any(
            e["rule"] == violation.rule
            and fnmatch.fnmatch(violation.unique_id, e["id_pattern"])
            for e in allowed
        )
    ]
