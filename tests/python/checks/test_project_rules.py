"""Each project rule flags a tiny bad manifest, and the real project passes them all."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from opsmart.checks import check, load_exceptions
from opsmart.checks import project_rules as rules
from opsmart.nightly.dbt_runner import project_dir, run_dbt
from shared_helpers import SeedParse


def _model(name: str, folder: str, parents: list[str], **extra: Any) -> dict[str, Any]:
    node = {
        "resource_type": "model",
        "name": name,
        "original_file_path": f"models/{folder}/{name}.sql",
        "depends_on": {"nodes": parents},
        "description": f"{name} described.",
        "access": "public" if folder in ("marts", "reports") else "protected",
        "config": {
            "contract": {"enforced": folder == "marts"},
            "materialized": "table",
        },
        "columns": {"id": {"data_type": "varchar", "description": "Key."}},
    }
    node.update(extra)
    return node


def _pk_test(model_id: str) -> dict[str, Any]:
    return {
        "resource_type": "test",
        "attached_node": model_id,
        "test_metadata": {"name": "unique"},
    }


def _good() -> dict[str, Any]:
    source = "source.p.crm.customers"
    nodes = {
        "model.p.stg_crm__customers": _model(
            "stg_crm__customers", "staging/crm", [source]
        ),
        "model.p.dim_customers": _model(
            "dim_customers", "marts", ["model.p.stg_crm__customers"]
        ),
    }
    for uid in list(nodes):
        nodes[f"test.p.unique_{uid}"] = _pk_test(uid)
    return {
        "nodes": nodes,
        "sources": {
            source: {
                "source_description": "CRM.",
                "description": "Customers.",
                "freshness": {
                    "warn_after": {"count": 1, "period": "day"},
                    "error_after": {"count": 2, "period": "day"},
                },
                "loaded_at_field": "signed_up_at",
            }
        },
        "child_map": {source: ["model.p.stg_crm__customers"]},
    }


def _names(manifest: dict[str, Any]) -> set[str]:
    return {violation.rule for violation in check(manifest)}


def test_good_fixture_passes() -> None:
    assert check(_good()) == []


def test_wrong_prefix() -> None:
    bad = _good()
    bad["nodes"]["model.p.dim_customers"]["name"] = "customers"
    assert "model_naming" in _names(bad)


def test_staging_reading_a_model_and_marts_reading_a_source() -> None:
    bad = _good()
    stg = bad["nodes"]["model.p.stg_crm__customers"]
    stg["depends_on"]["nodes"].append("model.p.dim_customers")
    bad["nodes"]["model.p.dim_customers"]["depends_on"]["nodes"].append(
        "source.p.crm.customers"
    )
    assert {"staging_reads_one_source", "no_sources_downstream"} <= _names(bad)


def test_source_with_two_children_and_missing_freshness() -> None:
    bad = _good()
    bad["child_map"]["source.p.crm.customers"].append("model.p.dim_customers")
    bad["sources"]["source.p.crm.customers"]["freshness"] = {"warn_after": None}
    assert {"one_child_per_source", "source_freshness"} <= _names(bad)


def test_too_many_refs_and_root_model() -> None:
    bad = _good()
    parents = [f"model.p.int_{i}" for i in range(7)]
    bad["nodes"]["model.p.fct_big"] = _model("fct_big", "marts", parents)
    bad["nodes"]["model.p.fct_root"] = _model("fct_root", "marts", [])
    names = _names(bad)
    assert {"too_many_refs", "root_models", "primary_key_tested"} <= names


def _with_reports(manifest: dict[str, Any]) -> dict[str, Any]:
    """`manifest` plus a prep model over the mart and a report over the prep model."""
    prep = "model.p.int_customers_priced"
    report = "model.p.rpt_customers"
    manifest["nodes"][prep] = _model(
        "int_customers_priced", "reports/prep/pricing", ["model.p.dim_customers"]
    )
    manifest["nodes"][report] = _model("rpt_customers", "reports", [prep])
    manifest["nodes"][report]["config"]["contract"]["enforced"] = True
    for uid in (prep, report):
        manifest["nodes"][f"test.p.unique_{uid}"] = _pk_test(uid)
    return manifest


def test_reports_with_prep_models_pass() -> None:
    assert check(_with_reports(_good())) == []


@pytest.mark.parametrize(
    ("child", "parent"),
    [
        ("model.p.stg_crm__customers", "model.p.dim_customers"),
        ("model.p.dim_customers", "model.p.int_customers_priced"),
        ("model.p.dim_customers", "model.p.rpt_customers"),
        ("model.p.int_customers_priced", "model.p.rpt_customers"),
    ],
    ids=["staging<-marts", "marts<-reports/prep", "marts<-reports", "prep<-reports"],
)
def test_a_backward_edge_fails(child: str, parent: str) -> None:
    bad = _with_reports(_good())
    bad["nodes"][child]["depends_on"]["nodes"].append(parent)
    directions = [v for v in check(bad) if v.rule == "layer_direction"]
    assert [v.unique_id for v in directions] == [child]


def test_a_report_reading_a_report_fails() -> None:
    bad = _with_reports(_good())
    daily = "model.p.rpt_customers_daily"
    bad["nodes"][daily] = _model(
        "rpt_customers_daily", "reports", ["model.p.rpt_customers"]
    )
    bad["nodes"][daily]["config"]["contract"]["enforced"] = True
    bad["nodes"][f"test.p.unique_{daily}"] = _pk_test(daily)
    assert [str(v) for v in check(bad)] == [
        "[layer_direction] model.p.rpt_customers_daily: reads the report "
        "model.p.rpt_customers; read the marts or the reports/prep model it reads "
        "instead"
    ]


def test_a_prep_model_is_named_int_and_not_public() -> None:
    bad = _with_reports(_good())
    bad["nodes"]["model.p.int_customers_priced"]["name"] = "rpt_customers_priced"
    assert _names(bad) == {"model_naming"}


def test_undocumented_and_uncontracted() -> None:
    bad = _good()
    dim = bad["nodes"]["model.p.dim_customers"]
    dim["description"] = ""
    dim["config"]["contract"]["enforced"] = False
    dim["columns"]["id"]["data_type"] = None
    bad["sources"]["source.p.crm.customers"]["source_description"] = " "
    assert {"documented", "public_models_contracted"} <= _names(bad)


def test_long_view_chain() -> None:
    bad = _good()
    previous = "model.p.stg_crm__customers"
    for i in range(5):
        uid = f"model.p.int_step_{i}"
        bad["nodes"][uid] = _model(f"int_step_{i}", "intermediate", [previous])
        bad["nodes"][uid]["config"]["materialized"] = "view"
        bad["nodes"][f"test.p.unique_{uid}"] = _pk_test(uid)
        previous = uid
    assert "view_chain_length" in _names(bad)


def test_exceptions_silence_matching_violations() -> None:
    bad = _good()
    bad["nodes"]["model.p.dim_customers"]["name"] = "customers"
    allowed = [
        {
            "rule": "model_naming",
            "column": "unique_id",
            "id_pattern": "model.p.dim_*",
            "comment": "legacy name",
        }
    ]
    assert check(copy.deepcopy(bad), allowed) == []


@pytest.fixture(scope="module")
def project_manifest(
    tmp_path_factory: pytest.TempPathFactory, seed_parse: SeedParse
) -> dict[str, Any]:
    build_dir = seed_parse(tmp_path_factory.mktemp("parse"))
    warehouse = build_dir / "opsmart.duckdb"
    assert run_dbt(["parse"], warehouse=warehouse, state_dir=build_dir)
    manifest: dict[str, Any] = json.loads(
        (build_dir / "target" / "manifest.json").read_text()
    )
    return manifest


def test_the_project_follows_its_rules(project_manifest: dict[str, Any]) -> None:
    exceptions = load_exceptions(
        Path(project_dir()) / "seeds" / "project_rule_exceptions.csv"
    )
    violations = check(project_manifest, exceptions)
    assert violations == [], "\n".join(map(str, violations))


def test_every_rule_is_listed() -> None:
    public = [
        getattr(rules, name)
        for name in dir(rules)
        if callable(getattr(rules, name))
        and getattr(getattr(rules, name), "__module__", "") == rules.__name__
        and name not in {"check", "load_exceptions", "Violation"}
        and not name.startswith("_")
    ]
    assert set(public) == set(rules.RULES)
