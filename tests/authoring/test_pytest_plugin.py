"""The pytest plugin for plugin authors: fixtures and the conformance class, run by pytest itself."""

import textwrap
from importlib import metadata
from pathlib import Path

pytest_plugins = ["pytester"]

ROOT = Path(__file__).parents[2]
VAGGERYD = ROOT / "plugins" / "vaggeryd" / "hembesok_vaggeryd" / "program.yaml"


def test_the_plugin_is_registered_for_pytest():
    (entry,) = [ep for ep in metadata.entry_points(group="pytest11") if ep.name == "hembesok"]
    assert entry.value == "hembesok.authoring.pytest_plugin"


def test_conformance_of_an_installed_plugin_passes_with_a_test_per_example(pytester):
    pytester.makepyfile(
        test_conformance="""
        import hembesok_vaggeryd
        from hembesok.authoring.pytest_plugin import ProgramPluginConformance

        class TestVaggeryd(ProgramPluginConformance):
            plugin_module = hembesok_vaggeryd
            program_ids = ("vaggeryd",)
        """
    )
    result = pytester.runpytest_subprocess("-v")
    examples = VAGGERYD.read_text().count("\n  - name: ")
    result.assert_outcomes(passed=4 + examples)
    result.stdout.fnmatch_lines(
        [
            "*::TestVaggeryd::test_entry_point_resolves_to_the_module PASSED*",
            "*::TestVaggeryd::test_example?vaggeryd?0? first child in Vaggeryd*PASSED*",
        ]
    )


def broken_plugin(pytester, module_source, program_yaml):
    (pytester.path / "program.yaml").write_text(textwrap.dedent(program_yaml))
    pytester.makepyfile(hembesok_broken=module_source)
    pytester.makepyfile(
        test_broken="""
        import hembesok_broken
        from hembesok.authoring.pytest_plugin import ProgramPluginConformance

        class TestBroken(ProgramPluginConformance):
            plugin_module = hembesok_broken
        """
    )


PROGRAM = """\
    id: broken
    version: "1.0"
    title: {sv: Trasig, en: Broken}
    sources: [{title: test, confidence: H}]
    eligibility: {fact: first_child.either_parent, equals: true}
    schedule:
      - id: newborn
        title: {sv: Nyfödd, en: Newborn}
        age: {weeks: 2}
        window: {before: {weeks: 1}, after: {weeks: 1}}
        staff: [bhv_sjukskoterska]
        setting: home
    examples:
      - name: first child
        as_of: "2026-03-20"
        case: {child: {birth_date: "2026-03-10"}, first_child: {either_parent: true}}
        expect: {decision: eligible, visits: {newborn: missed}}
    """

REGISTERS = """
from pathlib import Path
from hembesok import hookimpl

@hookimpl
def hembesok_programs():
    return [Path(__file__).parent / "program.yaml"]
"""


def test_a_broken_plugin_fails_each_conformance_test_with_a_reason(pytester):
    broken_plugin(
        pytester,
        REGISTERS
        + """
def hembesok_case_facts(case, as_of):  # not marked: silently never called
    return {}
""",
        PROGRAM,
    )
    result = pytester.runpytest_subprocess("-rf")
    result.assert_outcomes(passed=2, failed=3)
    result.stdout.fnmatch_lines(
        [
            "*TestBroken.test_entry_point_resolves_to_the_module*",
            "no installed distribution registers hembesok_broken under the entry-point group*",
            "*TestBroken.test_hooks_are_spelled_right*",
            "hembesok_case_facts in hembesok_broken is not marked with @hookimpl*",
            "*TestBroken.test_example?broken?0? first child?*",
            "*program.yaml:14:5: example 0 'first child' of broken fails:",
            "  visit newborn: expected missed, got due",
        ]
    )


def test_a_misspelt_hook_stops_the_plugin_with_the_hook_named(pytester):
    without_examples = PROGRAM.split("    examples:")[0]
    broken_plugin(
        pytester,
        REGISTERS
        + """
@hookimpl
def hembesok_case_fact(case, as_of):
    return {}
""",
        without_examples,
    )
    result = pytester.runpytest_subprocess("-rf")
    result.assert_outcomes(passed=1, failed=4)
    result.stdout.fnmatch_lines(
        [
            "*TestBroken.test_hooks_are_spelled_right*",
            "*unknown hook 'hembesok_case_fact'*docs/hooks.md*",
            "*TestBroken.test_example?plugin-error?*",
            "the plugin cannot be loaded*",
        ]
    )
    assert "skipped" not in result.stdout.str()


def test_a_program_without_examples_fails_rather_than_skips(pytester):
    broken_plugin(pytester, REGISTERS, PROGRAM.split("    examples:")[0])
    result = pytester.runpytest_subprocess()
    result.assert_outcomes(passed=3, failed=2)  # the entry point (not installed) and this
    result.stdout.fnmatch_lines(
        [
            "*TestBroken.test_example?broken-has-no-examples?*",
            "program 'broken' has no examples: add at least one case*",
        ]
    )


def test_an_invalid_program_file_is_reported_with_its_located_problems(pytester):
    broken_plugin(pytester, REGISTERS, PROGRAM.replace("equals: true}", "equal: true}", 1))
    result = pytester.runpytest_subprocess("-rf")
    result.assert_outcomes(passed=2, failed=3)
    result.stdout.fnmatch_lines(
        [
            "*TestBroken.test_program_files_validate*",
            "program file problems:",
            "*program.yaml:5:48: $.eligibility.equal: unknown key 'equal'; did you mean 'equals'?*",
            "*TestBroken.test_example?invalid-program-file?*",
            "a program file is invalid; see test_program_files_validate",
        ]
    )


def test_register_plugin_lasts_one_test_and_the_command_line_sees_it(pytester):
    (pytester.path / "program.yaml").write_text(
        VAGGERYD.read_text().replace("id: vaggeryd\n", "id: tillfallig\n", 1)
    )
    pytester.makepyfile(
        test_register="""
        import types
        from pathlib import Path

        from click.testing import CliRunner

        from hembesok import hookimpl
        from hembesok import cli

        module = types.ModuleType("hembesok_tillfallig")

        @hookimpl
        def hembesok_programs():
            return [Path(__file__).parent / "program.yaml"]

        module.hembesok_programs = hembesok_programs

        def test_registered(register_plugin, hembesok_engine):
            assert "tillfallig" not in hembesok_engine.programs
            engine = register_plugin(module)
            assert "tillfallig" in engine.programs and "vaggeryd" in engine.programs
            listed = CliRunner().invoke(cli.main, ["plugins"]).output
            assert "tillfallig  tillfallig 1.0.0 (program), package hembesok_tillfallig  " in listed

        def test_gone_in_the_next_test(hembesok_engine):
            assert "tillfallig" not in hembesok_engine.programs
            assert "tillfallig" not in CliRunner().invoke(cli.main, ["plugins"]).output
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:randomly")
    result.assert_outcomes(passed=2)


def test_register_plugin_of_an_installed_module_keeps_its_distribution(pytester):
    pytester.makepyfile(
        test_installed="""
        import hembesok_vaggeryd

        def test_it(register_plugin):
            engine = register_plugin(hembesok_vaggeryd)
            assert engine.programs["vaggeryd"].distribution == "hembesok-vaggeryd"
        """
    )
    pytester.runpytest_subprocess().assert_outcomes(passed=1)
