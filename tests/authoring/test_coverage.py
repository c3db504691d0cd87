"""What a program's examples leave untested: conditions, deciding `any` branches, visits."""

import copy

import hembesok_nassjo
import hembesok_vaggeryd

from hembesok.authoring.coverage import coverage, deciding_branches
from hembesok.authoring.examples import check_examples
from hembesok.authoring.testing import engine_with
from hembesok.engine.engine import Engine
from hembesok.language.program import Program


def covered(module, program_id, keep=None):
    """Coverage of a bundled program by all its examples, or only those at `keep`."""
    engine = engine_with(module)
    definition = copy.deepcopy(dict(engine.programs[program_id].definition))
    if keep is not None:
        definition["examples"] = [definition["examples"][i] for i in keep]
    program = Program.compile(definition)
    engine = Engine(engine.loaded, {program_id: program})
    return coverage(program, check_examples(engine, program)), definition


def test_the_bundled_examples_cover_every_condition_branch_and_visit():
    for module, program_id in ((hembesok_vaggeryd, "vaggeryd"), (hembesok_nassjo, "nassjo")):
        report, _ = covered(module, program_id)
        assert report.complete, report.to_json()


def test_one_eligible_example_leaves_the_false_side_and_other_visits_uncovered():
    report, definition = covered(hembesok_vaggeryd, "vaggeryd", keep=[7])  # born 31 Dec
    assert definition["examples"][0]["expect"] == {
        "decision": "eligible",
        "visits": {"two_months": "due"},
    }
    assert report.examples_run == 1
    assert report.never_true == ()
    assert report.never_false == ("$.eligibility",)
    assert report.visits_unstated == ("newborn", "eight_months")
    assert not report.complete
    assert report.to_json()["never_false"] == ["$.eligibility"]


def test_an_any_branch_is_deciding_only_when_it_alone_is_true():
    engine = engine_with(hembesok_nassjo)
    program = engine.programs["nassjo"]
    decided = {}
    for check in check_examples(engine, program):
        if check.plan is not None and check.plan.decision.trace is not None:
            for path in deciding_branches(check.plan.decision.trace):
                decided.setdefault(path, check.name)
    assert program.eligibility.kind == "any"
    branches = [c.path for c in program.eligibility.children]
    assert len(branches) == 2 and set(decided) == set(branches)


def test_without_the_examples_that_decide_a_branch_it_is_reported():
    engine = engine_with(hembesok_nassjo)
    program = engine.programs["nassjo"]
    checks = check_examples(engine, program)
    full = coverage(program, checks)
    branch = full.branches[1]
    keep = [
        c
        for c in checks
        if c.plan is None
        or c.plan.decision.trace is None
        or branch not in deciding_branches(c.plan.decision.trace)
    ]
    assert len(keep) < len(checks)
    assert coverage(program, keep).never_deciding == (branch,)
