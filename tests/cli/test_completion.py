"""Shell completion through click's own protocol, as bash, zsh and fish ask for it."""

import json
import os
import shutil
import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from hembesok import cli
from hembesok.cli import completion

ENV = {"HEMBESOK_DISABLED_PLUGINS": ""}


def complete(shell, words, cword=None):
    """What the command answers the shell's completion script, as click's protocol has it."""
    env = {**ENV, "_HEMBESOK_COMPLETE": f"{shell}_complete", "COMP_WORDS": words}
    env["COMP_CWORD"] = str(cword) if cword is not None else words.split(" ")[-1]
    result = CliRunner().invoke(cli.main, [], env=env, prog_name="hembesok")
    assert result.exit_code == 0, result.output
    return result


def installed_programs():
    result = CliRunner().invoke(cli.main, ["programs", "--json"], env=ENV)
    return sorted(row["id"] for row in json.loads(result.stdout)["programs"])


def bash_items(result):
    return [tuple(line.split(",", 1)) for line in result.stdout.splitlines()]


def test_bash_completes_program_ids_after_program():
    ids = installed_programs()
    assert "vaggeryd" in ids and len(ids) > 3
    result = complete("bash", "hembesok plan --program ", 3)
    assert bash_items(result) == [("plain", i) for i in ids]
    assert result.stderr == ""


@pytest.mark.parametrize(
    "words",
    [
        "hembesok explain case.json --program va",
        "hembesok batch cases.ndjson --program va",
        "hembesok test va",
    ],
)
def test_bash_completes_what_has_been_typed_of_a_program_id(words):
    result = complete("bash", words, len(words.split(" ")) - 1)
    got = [value for _, value in bash_items(result)]
    assert got == [i for i in installed_programs() if i.startswith("va")]
    assert "vaggeryd" in got


def test_zsh_gets_program_ids_with_what_they_are():
    result = complete("zsh", "hembesok plan --program vag", 3)
    # zsh's protocol: type, value, help, one per line, for each item
    assert result.stdout.splitlines() == ["plain", "vaggeryd", "program"]


def test_fish_gets_program_ids_and_format_choices():
    result = complete("fish", "hembesok plan --program rin", "rin")
    assert result.stdout.splitlines() == ["plain,rinkeby\tprogram"]
    formats = complete("fish", "hembesok plan --format ", "")
    names = [line.split(",", 1)[1] for line in formats.stdout.splitlines()]
    assert {"text", "json", "compact"} <= set(names)


def _file_arguments():
    """Every argument and option of every command that reads or writes a file."""
    files = {
        "plan": "CASE",
        "explain": "CASE",
        "screen": "RESPONSE",
        "validate": "FILE...",
        "batch": "INPUT",
    }
    for name, metavar in files.items():
        command = cli.main.commands[name]
        (param,) = [p for p in command.params if p.metavar == metavar]
        yield name, param
    for name, option in (("screen", "--history"), ("batch", "--output"), ("new-plugin", "--dir")):
        (param,) = [p for p in cli.main.commands[name].params if option in p.opts]
        yield name, param


@pytest.mark.parametrize(("command", "param"), list(_file_arguments()))
def test_every_file_argument_is_a_path_and_completes_as_one(command, param):
    assert isinstance(param.type, click.Path)
    kind = "dir" if not param.type.file_okay else "file"
    ctx = click.Context(cli.main.commands[command])
    assert [item.type for item in param.shell_complete(ctx, "exam")] == [kind]


def test_bash_hands_a_case_argument_to_the_shells_file_completion():
    result = complete("bash", "hembesok plan exam", 2)
    assert bash_items(result) == [("file", "exam")]


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_real_bash_lists_program_ids_and_file_names(tmp_path):
    """The script hembesok completion bash prints, run by bash itself."""
    (tmp_path / "family-one.json").write_text("{}")
    (tmp_path / "family-two.json").write_text("{}")
    hembesok = os.path.join(os.path.dirname(sys.executable), "hembesok")
    script = subprocess.run(
        [hembesok, "completion", "bash"],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, **ENV},
    ).stdout
    probe = (
        script
        + "\nCOMP_WORDS=(hembesok plan --program va); COMP_CWORD=3; _hembesok_completion hembesok"
        + '\nprintf "program:%s\\n" "${COMPREPLY[@]}"'
        + "\nCOMP_WORDS=(hembesok plan fam); COMP_CWORD=2; COMPREPLY=(); _hembesok_completion hembesok"
        # the script asks bash for its default (file name) completion: do what bash does then
        + '\n[ ${#COMPREPLY[@]} -eq 0 ] && compgen -f -- fam | sort | sed "s/^/file:/"'
    )
    out = subprocess.run(
        ["bash", "-c", probe],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={
            **os.environ,
            **ENV,
            "PATH": os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"],
        },
    )
    lines = out.stdout.splitlines()
    assert [line for line in lines if line.startswith("program:")] == [
        f"program:{i}" for i in installed_programs() if i.startswith("va")
    ]
    assert [line for line in lines if line.startswith("file:")] == [
        "file:family-one.json",
        "file:family-two.json",
    ]


def test_a_failing_plugin_load_gives_no_items_and_no_error(monkeypatch):
    from hembesok.engine.engine import Engine
    from hembesok.plugins.manager import PluginError

    def broken(*args, **kwargs):
        print("noise a plugin printed")
        raise PluginError("program id 'vaggeryd' is registered twice")

    monkeypatch.setattr(Engine, "from_installed", classmethod(broken))
    result = complete("bash", "hembesok plan --program ", 3)
    assert result.stdout.strip() == "" and result.stderr == ""
    assert completion.program_ids(None, None, "") == []


def test_instrument_ids_complete_the_installed_instruments():
    items = completion.instrument_ids(None, None, "barn")
    assert [item.value for item in items] == ["barnsakert"]
    assert all(item.help == "instrument" for item in items)


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_prints_the_script_click_would_source(shell):
    printed = CliRunner().invoke(cli.main, ["completion", shell], env=ENV, prog_name="hembesok")
    sourced = CliRunner().invoke(
        cli.main, [], env={**ENV, "_HEMBESOK_COMPLETE": f"{shell}_source"}, prog_name="hembesok"
    )
    assert printed.exit_code == 0 and sourced.exit_code == 0
    assert printed.stdout.strip() == sourced.stdout.strip()
    assert f"_HEMBESOK_COMPLETE={shell}_complete" in printed.stdout


def test_completion_of_an_unknown_shell_is_a_usage_error():
    assert CliRunner().invoke(cli.main, ["completion", "powershell"]).exit_code == 2
