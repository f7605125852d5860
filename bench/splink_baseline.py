"""Splink 5 (DuckDB backend) as the side-by-side baseline, configured as Splink's own examples.

FEBRL models follow Splink's documentation examples (``docs/demos/examples/duckdb/febrl3`` and
``febrl4``, "detailed model") on the raw FEBRL columns; ``ssid=False`` drops the soc_sec_id
comparison, blocking rule and deterministic rule. The generated population gets a generic model
on our columns. Every model: estimate the probability two random records match from
deterministic rules, estimate u by random sampling (seeded), estimate m by EM sessions over
training blocking rules, then predict and cluster at match probability 0.5.
"""

from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

THRESHOLD = 0.5
SEED = 2


@dataclass
class Recipe:
    """One Splink model: settings plus how it is trained."""

    link_type: str
    unique_id: str
    blocking: list
    comparisons: list
    deterministic_rules: list
    recall: float
    em_rules: list
    u_max_pairs: float = 1e6
    em_without_tf: bool = False
    description: dict[str, Any] = field(default_factory=dict)


@dataclass
class SplinkOutput:
    person_ids: dict[str, str]
    edges: list[tuple[str, str]] | None
    seconds: dict[str, float]
    recipe: dict[str, Any]


def febrl4_recipe(ssid: bool) -> Recipe:
    blocking = [
        block_on("given_name", "surname"),
        "l.given_name = r.surname and l.surname = r.given_name",
        block_on("date_of_birth"),
        *([block_on("soc_sec_id")] if ssid else []),
        block_on("state", "address_1"),
        block_on("street_number", "address_1"),
        block_on("postcode"),
    ]
    comparisons = [
        cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
        cl.NameComparison("surname").configure(term_frequency_adjustments=True),
        cl.DateOfBirthComparison(
            "date_of_birth",
            input_is_string=True,
            datetime_format="%Y%m%d",
            invalid_dates_as_null=True,
        ),
        *([cl.DamerauLevenshteinAtThresholds("soc_sec_id", [1, 2])] if ssid else []),
        cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
        cl.DamerauLevenshteinAtThresholds("postcode", [1, 2]).configure(
            term_frequency_adjustments=True
        ),
    ]
    deterministic = [
        *([block_on("soc_sec_id")] if ssid else []),
        block_on("given_name", "surname", "date_of_birth"),
    ]
    return Recipe(
        link_type="link_only",
        unique_id="rec_id",
        blocking=blocking,
        comparisons=comparisons,
        deterministic_rules=deterministic,
        recall=0.8,
        em_rules=[block_on("date_of_birth"), block_on("postcode")],
        u_max_pairs=1e6,
        em_without_tf=True,
        description={"source": "Splink docs example febrl4 (detailed model)", "ssid": ssid},
    )


def febrl3_recipe(ssid: bool) -> Recipe:
    blocking = [
        *([block_on("soc_sec_id")] if ssid else []),
        block_on("given_name"),
        block_on("surname"),
        block_on("date_of_birth"),
        block_on("postcode"),
    ]
    comparisons = [
        cl.NameComparison("given_name"),
        cl.NameComparison("surname"),
        cl.DateOfBirthComparison("date_of_birth", input_is_string=True, datetime_format="%Y%m%d"),
        *([cl.DamerauLevenshteinAtThresholds("soc_sec_id", [2])] if ssid else []),
        cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
        cl.ExactMatch("postcode").configure(term_frequency_adjustments=True),
    ]
    deterministic = [
        *([block_on("soc_sec_id")] if ssid else []),
        block_on("given_name", "surname", "date_of_birth"),
        "l.given_name = r.surname and l.surname = r.given_name "
        "and l.date_of_birth = r.date_of_birth",
    ]
    return Recipe(
        link_type="dedupe_only",
        unique_id="rec_id",
        blocking=blocking,
        comparisons=comparisons,
        deterministic_rules=deterministic,
        recall=0.9,
        em_rules=[block_on("date_of_birth"), block_on("postcode")],
        u_max_pairs=1e6,
        em_without_tf=False,
        description={"source": "Splink docs example febrl3", "ssid": ssid},
    )


GENERIC_COLUMNS = (
    "record_id",
    "given_name",
    "family_name",
    "date_of_birth",
    "nhs_number",
    "upn",
    "postcode",
    "address_line",
)
_DISTRICT = "regexp_extract({col}, '^[A-Z]{{1,2}}[0-9][A-Z0-9]?', 0)"


def location_comparison() -> dict[str, Any]:
    """Postcode and address as one comparison: they measure the same thing, and modelling them
    as independent evidence (as Splink's FEBRL4 example also warns) double-counts a shared
    address, which is exactly what household members have in common."""
    return {
        "output_column_name": "location",
        "comparison_levels": [
            cll.NullLevel("postcode"),
            cll.And(cll.ExactMatchLevel("postcode"), cll.ExactMatchLevel("address_line")),
            cll.And(cll.ExactMatchLevel("postcode"), cll.JaroWinklerLevel("address_line", 0.9)),
            cll.ExactMatchLevel("postcode"),
            {
                "sql_condition": f"{_DISTRICT.format(col='postcode_l')} = "
                f"{_DISTRICT.format(col='postcode_r')}",
                "label_for_charts": "same postcode district",
            },
            cll.ElseLevel(),
        ],
    }


def generic_recipe() -> Recipe:
    return Recipe(
        link_type="dedupe_only",
        unique_id="record_id",
        blocking=[
            block_on("nhs_number"),
            block_on("upn"),
            block_on("date_of_birth"),
            block_on("family_name", "substr(date_of_birth, 1, 4)"),
            block_on("postcode", "substr(given_name, 1, 1)"),
        ],
        comparisons=[
            cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("family_name").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison(
                "date_of_birth",
                input_is_string=True,
                datetime_format="%Y-%m-%d",
                invalid_dates_as_null=True,
            ),
            cl.DamerauLevenshteinAtThresholds("nhs_number", [1]),
            cl.DamerauLevenshteinAtThresholds("upn", [1]),
            location_comparison(),
        ],
        deterministic_rules=[
            block_on("nhs_number"),
            block_on("upn"),
            block_on("given_name", "family_name", "date_of_birth"),
        ],
        recall=0.7,
        em_rules=[block_on("date_of_birth"), block_on("given_name", "family_name")],
        u_max_pairs=1e7,
        em_without_tf=True,
        description={
            "source": "generic model for hub.synthetic.population columns",
            "cleaning": "names and address lower-cased, punctuation and repeated spaces "
            "removed; NHS number digits only; UPN and postcode upper-case alphanumerics, "
            "postcode as outward + space + inward",
        },
    )


_NON_ALNUM = re.compile(r"[^0-9a-z ]+")
_SPACES = re.compile(r"\s+")


def _clean_text(value: str | None) -> str | None:
    if not value:
        return None
    text = _SPACES.sub(" ", _NON_ALNUM.sub(" ", value.casefold())).strip()
    return text or None


def _clean_code(value: str | None) -> str | None:
    text = re.sub(r"[^0-9A-Z]", "", (value or "").upper())
    return text or None


def _clean_postcode(value: str | None) -> str | None:
    code = _clean_code(value)
    if code and len(code) > 3:
        return f"{code[:-3]} {code[-3:]}"
    return code


def generic_frame(rows: list[dict[str, str]]) -> pd.DataFrame:
    """Standard pre-Splink cleaning (Splink expects cleaned input; NULL for missing)."""
    cleaned = [
        {
            "record_id": row["record_id"],
            "given_name": _clean_text(row.get("given_name")),
            "family_name": _clean_text(row.get("family_name")),
            "date_of_birth": row.get("date_of_birth") or None,
            "nhs_number": re.sub(r"\D", "", row.get("nhs_number") or "") or None,
            "upn": _clean_code(row.get("upn")),
            "postcode": _clean_postcode(row.get("postcode")),
            "address_line": _clean_text(row.get("address_line")),
        }
        for row in rows
    ]
    return pd.DataFrame.from_records(cleaned, columns=list(GENERIC_COLUMNS)).astype(object)


def _rule_text(rule) -> str:
    if isinstance(rule, str):
        return rule
    return rule.get_blocking_rule("duckdb").blocking_rule_sql


def _comparison_name(comparison) -> str:
    if isinstance(comparison, dict):
        return comparison["output_column_name"]
    return comparison.get_comparison("duckdb").output_column_name


def recipe_summary(recipe: Recipe) -> dict[str, Any]:
    return {
        **recipe.description,
        "link_type": recipe.link_type,
        "blocking_rules": [_rule_text(r) for r in recipe.blocking],
        "comparisons": [_comparison_name(c) for c in recipe.comparisons],
        "deterministic_rules": [_rule_text(r) for r in recipe.deterministic_rules],
        "deterministic_recall": recipe.recall,
        "u_max_pairs": recipe.u_max_pairs,
        "u_seed": SEED,
        "em_rules": [_rule_text(r) for r in recipe.em_rules],
        "em_without_term_frequencies": recipe.em_without_tf,
        "threshold_match_probability": THRESHOLD,
    }


def run(splink_input: dict[str, Any], want_edges: bool = True) -> SplinkOutput:
    model = splink_input["model"]
    if model == "febrl4":
        recipe, frames = febrl4_recipe(splink_input["ssid"]), splink_input["frames"]
    elif model == "febrl3":
        recipe, frames = febrl3_recipe(splink_input["ssid"]), splink_input["frames"]
    elif model == "generic":
        recipe, frames = generic_recipe(), [generic_frame(splink_input["rows"])]
    else:
        raise ValueError(f"unknown Splink model {model!r}")
    return link(recipe, frames, want_edges=want_edges)


def link(recipe: Recipe, frames: list[pd.DataFrame], want_edges: bool = True) -> SplinkOutput:
    seconds: dict[str, float] = {}
    start = time.perf_counter()
    db_api = DuckDBAPI()
    sdfs = [db_api.register(f) for f in frames]
    settings = SettingsCreator(
        unique_id_column_name=recipe.unique_id,
        link_type=recipe.link_type,
        blocking_rules_to_generate_predictions=recipe.blocking,
        comparisons=recipe.comparisons,
    )
    linker = Linker(sdfs if len(sdfs) > 1 else sdfs[0], settings, log_level=logging.WARNING)
    seconds["load"] = time.perf_counter() - start

    mark = time.perf_counter()
    linker.training.estimate_probability_two_random_records_match(
        recipe.deterministic_rules, recall=recipe.recall
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=recipe.u_max_pairs, seed=SEED)
    for rule in recipe.em_rules:
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule, estimate_without_term_frequencies=recipe.em_without_tf
        )
    seconds["train"] = time.perf_counter() - mark

    mark = time.perf_counter()
    predictions = linker.inference.predict(threshold_match_probability=THRESHOLD)
    seconds["predict"] = time.perf_counter() - mark

    mark = time.perf_counter()
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=THRESHOLD
    )
    uid = recipe.unique_id
    rows = clusters.as_duckdbpyrelation().select(
        f"CAST({uid} AS VARCHAR), CAST(cluster_id AS VARCHAR)"
    )
    person_ids = dict(rows.fetchall())
    seconds["cluster"] = time.perf_counter() - mark
    seconds["total"] = time.perf_counter() - start

    edges = None
    if want_edges:
        rel = predictions.as_duckdbpyrelation().filter(f"match_probability >= {THRESHOLD}")
        edges = [(str(a), str(b)) for a, b in rel.select(f"{uid}_l, {uid}_r").fetchall()]
    return SplinkOutput(
        person_ids=person_ids, edges=edges, seconds=seconds, recipe=recipe_summary(recipe)
    )
