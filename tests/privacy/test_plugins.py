"""Misbehaving plugins and bugs: a hook that raises with the markers in its message, or
returns them in something of the wrong type, and an engine that fails while planning.
The guard (engine/guard.py) names the exception's type only; so do the command line
(exit 4, no traceback), `batch` and the service (500). The hook trace names no argument."""

import datetime as dt
import io
import json
import types

import hembesok_nassjo
import hembesok_rikshandboken
import hembesok_vaggeryd
import pytest

from hembesok import hookimpl
from hembesok.api import Pipeline
from hembesok.engine.engine import Engine
from hembesok.model.case import Case
from hembesok.plugins.manager import make_plugin_manager
from hembesok.render.compact import compact
from hembesok.render.text import explain_text, plan_text

from .asgi import JSON, app, call
from .hostile_cases import GOOD
from .markers import ANSWER, AS_OF, NAME, PNR, TEXT, assert_private, one_line, planted

SECRETS = f"{PNR} {NAME} {TEXT} {ANSWER}"
DAY = dt.date.fromisoformat(AS_OF)
INTERNAL = "urn:hembesok:problem:internal-error"


class Leaky(Exception):
    """An exception that carries the markers in its message, its repr and its args."""

    def __str__(self):
        return SECRETS


def fail(exc):
    def hook(**kwargs):
        raise exc

    return hook


def give(value):
    def hook(**kwargs):
        return value

    return hook


#: A plugin's hook and what it does: raise with the markers, or return them in a thing of
#: the wrong type. `how` is what the plan must say instead (None: the hook is not guarded).
HOOKS = {
    "eligibility raises ValueError": (
        "hembesok_eligibility",
        fail(ValueError(SECRETS)),
        "raised ValueError",
    ),
    "eligibility raises an exception whose str holds them": (
        "hembesok_eligibility",
        fail(Leaky(SECRETS)),
        "raised Leaky",
    ),
    "eligibility raises SystemExit": (
        "hembesok_eligibility",
        fail(SystemExit(SECRETS)),
        "raised SystemExit",
    ),
    "eligibility returns them as text": ("hembesok_eligibility", give(SECRETS), "returned a str"),
    "visit schedule raises KeyError": (
        "hembesok_visit_schedule",
        fail(KeyError(SECRETS)),
        "raised KeyError",
    ),
    "visit schedule returns them in a list": (
        "hembesok_visit_schedule",
        give([PNR, NAME, TEXT]),
        "returned something other than planned visits",
    ),
    "case facts raises KeyError": ("hembesok_case_facts", fail(KeyError(PNR)), "raised KeyError"),
    "case facts a list for a fact": (
        "hembesok_case_facts",
        give({"area": [PNR, NAME, TEXT]}),
        "returned something other than fact names",
    ),
    "case facts an object under a name": (
        "hembesok_case_facts",
        give({NAME: object(), "note": {"pnr": PNR}}),
        "returned something other than fact names",
    ),
    "case facts not a mapping": (
        "hembesok_case_facts",
        give([PNR, NAME]),
        "returned something other than fact names",
    ),
    "screening raises ValueError": ("hembesok_screening", fail(ValueError(SECRETS)), None),
    "screening returns them as text": ("hembesok_screening", give(SECRETS), None),
}


_ENGINES = {}


def hostile_engine(name):
    """An engine with the bundled programs and one plugin whose hook misbehaves, and an
    empty list that counts the hook's calls (so a test knows the marker got there)."""
    if name not in _ENGINES:
        _ENGINES[name] = _build(name)
    engine, calls = _ENGINES[name]
    calls.clear()
    return engine, calls


def _build(name):
    hook_name, behaviour, _ = HOOKS[name]
    calls = []

    def hook(**kwargs):
        calls.append(hook_name)
        return behaviour(**kwargs)

    module = types.ModuleType("hembesok_hostile")
    setattr(module, hook_name, hookimpl(specname=hook_name)(hook))
    loaded = make_plugin_manager(
        modules=[hembesok_vaggeryd, hembesok_rikshandboken, hembesok_nassjo, module], env={}
    )
    return Engine.from_plugins(loaded), calls


def plugin_failures(plan):
    return {p.program.id: p.error.how for p in plan.programs if p.error is not None}


@pytest.mark.parametrize("name", list(HOOKS))
def test_a_misbehaving_hook_fails_its_programs_naming_only_what_went_wrong(logs, name):
    engine, calls = hostile_engine(name)
    expected = HOOKS[name][2]
    case = Case.from_dict(json.loads(GOOD))
    try:
        plan = engine.evaluate(case, DAY)
        decisions = engine.decide(case, DAY)
        texts = [plan_text(plan, lang, everything=True) for lang in ("sv", "en")]
        texts += [explain_text(p, ("sv", "en")) for p in plan.programs]
        texts += [json.dumps(plan.to_json()), json.dumps(compact(plan))]
        texts += [json.dumps({pid: d.to_json() for pid, d in decisions.items()})]
    except Exception as exc:  # an unguarded hook: the shells report a bug by its type
        assert expected is None and calls, exc
        return
    hows = set(plugin_failures(plan).values())
    assert calls and hows and all(how.startswith(expected) for how in hows), hows
    assert_private(*texts, caplog=logs)


@pytest.mark.parametrize("name", list(HOOKS))
@pytest.mark.parametrize(
    "command",
    [
        ("plan", "{file}", "--as-of", AS_OF, "--all"),
        ("plan", "{file}", "--as-of", AS_OF, "--format", "json"),
        ("explain", "{file}", "--program", "rikshandboken", "--as-of", AS_OF),
        ("batch", "{file}", "--as-of", AS_OF, "--compact"),
    ],
    ids=["plan", "plan --format json", "explain", "batch"],
)
def test_a_misbehaving_hook_shows_no_marker_on_the_command_line(
    hembesok, monkeypatch, files, name, command
):
    engine, calls = hostile_engine(name)
    monkeypatch.setattr(Engine, "from_installed", classmethod(lambda cls, env=None: engine))
    path = files / "case.json"
    path.write_text(GOOD + "\n", encoding="utf-8")
    ran = hembesok(*[str(path) if a == "{file}" else a for a in command])
    assert calls, "the hook was not called"
    if HOOKS[name][2] is None:  # unguarded: where its result is used, a bug (exit 4)
        assert ran.code in (0, 4), ran
        assert (
            ran.code == 0
            or f"internal error ({'ValueError' if 'raises' in name else 'AttributeError'})"
            in ran.err
        ), ran
    else:
        assert ran.code == 0, ran
    assert_private(ran.out, ran.err, ran.log)


#: The hooks each endpoint calls.
CALLED_BY = {
    "/v1/plan": {
        "hembesok_eligibility",
        "hembesok_visit_schedule",
        "hembesok_case_facts",
        "hembesok_screening",
    },
    "/v1/decide": {"hembesok_eligibility", "hembesok_case_facts"},
    "/v1/screen": {"hembesok_screening"},
}


@pytest.mark.parametrize(
    ("endpoint", "name"),
    [
        pytest.param(endpoint, name, id=f"{endpoint}-{name}")
        for endpoint, hooks in CALLED_BY.items()
        for name, (hook, _, _) in HOOKS.items()
        if hook in hooks
    ],
)
def test_a_misbehaving_hook_shows_no_marker_over_http(logs, endpoint, name):
    engine, calls = hostile_engine(name)
    body = one_line(json.loads(GOOD)["responses"][0]) if endpoint == "/v1/screen" else GOOD
    status, headers, answer = call(app(engine), "POST", endpoint, body.encode(), JSON)
    assert calls, "the hook was not called"
    if HOOKS[name][2] is None:  # unguarded: a bug, answered 500 by its type
        assert status == 500 and b"internal-error" in answer, answer
        assert f"internal error in POST {endpoint}" in logs.text
    else:
        assert status == 200, answer
    assert_private(headers, answer, caplog=logs)


# --- bugs: an engine that fails, with the markers in the exception's message -------------


def raising(*args, **kwargs):
    raise ValueError(SECRETS)


@pytest.mark.parametrize(
    ("command", "method"),
    [
        pytest.param(("plan", "{file}", "--as-of", AS_OF), "evaluate", id="plan"),
        pytest.param(
            ("plan", "{file}", "--as-of", AS_OF, "--format", "json"), "evaluate", id="plan json"
        ),
        pytest.param(
            ("explain", "{file}", "--program", "vaggeryd", "--as-of", AS_OF),
            "evaluate",
            id="explain",
        ),
        pytest.param(("plan", "{file}", "--as-of", AS_OF), "screen", id="plan, scoring"),
        pytest.param(("screen", "{response}"), "screen", id="screen"),
        pytest.param(("validate", "{file}"), "reference_problems", id="validate (no engine call)"),
    ],
)
def test_a_bug_exits_4_naming_its_type_only(hembesok, monkeypatch, files, command, method):
    case = files / "case.json"
    case.write_text(GOOD, encoding="utf-8")
    response = files / "response.json"
    response.write_text(one_line(json.loads(GOOD)["responses"][0]), encoding="utf-8")
    monkeypatch.setattr(Engine, method, raising)
    args = [
        str(case) if a == "{file}" else str(response) if a == "{response}" else a for a in command
    ]
    ran = hembesok(*args)
    if command[0] == "validate":
        assert ran.code == 0, ran
    else:
        assert ran.code == 4 and "internal error (ValueError)" in ran.err, ran
    assert_private(ran.out, ran.err, ran.log)


def test_a_bug_in_batch_is_an_error_line_naming_its_type_only(hembesok, monkeypatch, files):
    monkeypatch.setattr(Pipeline, "plan", raising)
    path = files / "cases.ndjson"
    path.write_text(GOOD + "\n" + one_line(planted()) + "\n", encoding="utf-8")
    ran = hembesok("batch", path, "--as-of", AS_OF)
    assert ran.code == 4, ran
    lines = [json.loads(line) for line in ran.out.splitlines()]
    assert [line["error"]["type"] for line in lines] == [INTERNAL, INTERNAL]
    assert "ValueError" in lines[0]["error"]["detail"] and "internal error (ValueError)" in ran.err
    assert_private(ran.out, ran.err, ran.log)


def test_no_log_record_and_no_trace_line_carries_case_data(logs):
    trace = io.StringIO()
    loaded = make_plugin_manager(
        modules=[hembesok_vaggeryd, hembesok_rikshandboken],
        env={"HEMBESOK_TRACE_HOOKS": "1"},
        trace_to=trace,
    )
    engine = Engine.from_plugins(loaded)
    engine.evaluate(Case.from_dict(planted(facts={"note": TEXT})), DAY)
    assert "hembesok_screening" in trace.getvalue()
    assert_private(trace.getvalue(), caplog=logs)
