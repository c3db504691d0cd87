"""The full plan as bytes from prepared fragments, and the compact plan: both are the plan."""

import datetime as dt
import json
from pathlib import Path

import pytest

from hembesok.api import Pipeline
from hembesok.engine.engine import Engine
from hembesok.io import schemas
from hembesok.io.json_text import standard_dumps
from hembesok.model.case import Case
from hembesok.render.compact import compact
from hembesok.render.plan_json import PlanWriter

ROOT = Path(__file__).parents[2]
EXAMPLES = sorted(
    p for p in (ROOT / "examples").glob("*.json") if "child" in json.loads(p.read_text())
)
DATES = [dt.date(2026, 5, 4), dt.date(2019, 3, 1), dt.date(2026, 11, 1), dt.date(2031, 1, 31)]


@pytest.fixture(scope="module")
def engine():
    return Engine.from_installed(env={})


def plans(engine):
    for path in EXAMPLES:
        data = json.loads(path.read_text(encoding="utf-8"))
        for day in DATES:
            if data["child"]["birth_date"] <= day.isoformat():
                yield path.name, engine.evaluate(Case.from_dict(data), day)


def test_prepared_fragments_write_the_same_bytes_as_the_json_data(engine):
    writer = PlanWriter()
    seen = 0
    for name, plan in plans(engine):
        assert writer.plan(plan) == standard_dumps(plan.to_json()), name
        seen += 1
    assert seen >= 2 * len(EXAMPLES)


def test_a_visit_a_plugin_made_up_is_written_from_its_own_data(engine):
    plan = next(p for _, p in plans(engine) if p.program("vaggeryd").visits)
    pp = plan.program("vaggeryd")
    visit = pp.visits[0]
    odd = visit._replace(visit=type(visit.visit)(**{**visit.visit.__dict__, "setting": "video"}))
    changed = plan.__class__(
        plan.as_of,
        tuple(p.replace(visits=(odd, *pp.visits[1:])) if p is pp else p for p in plan.programs),
        plan.engine_version,
        plan.case_ref,
    )
    written = json.loads(PlanWriter().plan(changed))
    first = next(p for p in written["programs"] if p["program"]["id"] == "vaggeryd")["visits"][0]
    assert first["setting"] == "video"


def test_every_compact_plan_follows_its_schema_and_holds_the_plans_answers(engine):
    validator = schemas.validator("compact-plan")
    for name, plan in plans(engine):
        small = compact(plan)
        assert list(validator.iter_errors(small)) == [], name
        full = plan.to_json()
        for part, program in zip(small["programs"], full["programs"], strict=True):
            assert part["id"] == program["program"]["id"]
            assert program["program"]["sha256"].startswith(part["sha256"])
            assert part["status"] == program["decision"]["status"]
            assert [(v["id"], v["status"], v["target"]) for v in part.get("visits", [])] == [
                (v["id"], v["status"], v["target_date"]) for v in program["visits"]
            ]
        assert len(json.dumps(small)) < len(json.dumps(full)) / 3


def test_the_pipeline_renders_both_forms(engine):
    pipeline = Pipeline(engine)
    case = (ROOT / "examples" / "vaggeryd-first-child.json").read_bytes()
    plan = pipeline.plan(case, dt.date(2026, 5, 4))
    assert json.loads(pipeline.render(plan, "json")) == plan.to_json()
    assert json.loads(pipeline.render(plan, "compact")) == compact(plan)
    with pytest.raises(ValueError, match="json, compact"):
        pipeline.render(plan, "yaml")
