"""Every command has help with an example that parses, and a row in the README's command table."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from typer.core import TyperGroup
from typer.main import get_command
from typer.testing import CliRunner

from golkepar.cli import app

runner = CliRunner()
README = Path(__file__).resolve().parents[1] / "README.md"


def _all_commands() -> dict[str, str]:
    """The help text of every command by its path (`fetch`, `geoip update`), groups left out."""
    root = get_command(app)
    assert isinstance(root, TyperGroup)
    commands: dict[str, str] = {}
    for name, command in root.commands.items():
        if isinstance(command, TyperGroup):
            commands.update({f"{name} {sub}": c.help or "" for sub, c in command.commands.items()})
        else:
            commands[name] = command.help or ""
    return commands


COMMANDS = _all_commands()


def _readme_commands() -> set[str]:
    """The command paths the README's "Commands" table has a row for."""
    table = README.read_text().split("## Commands", 1)[1].split("\n## ", 1)[0]
    documented = set()
    for cell in re.findall(r"^\| `golkepar ([^`]+)` \|", table, flags=re.M):
        words = cell.replace("\\|", "|").split()
        if len(words) > 1 and "|" in words[1]:  # `geoip update|status|lookup`
            documented.update(f"{words[0]} {sub}" for sub in words[1].split("|"))
        else:
            documented.add(words[0])
    return documented


def test_help_lists_every_stage() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for stage in ("geoip", "fetch", "ingest", "build", "report", "run", "demo"):
        assert re.search(rf"^\s+{stage}\s+\S", result.output, flags=re.M), stage


@pytest.mark.parametrize("path", COMMANDS)
def test_every_command_has_help_with_an_example_that_parses(path: str) -> None:
    help_text = COMMANDS[path]
    summary = help_text.strip().splitlines()[0] if help_text.strip() else ""
    assert summary.endswith(".") and len(summary.split()) >= 4, f"{path}: no summary sentence"
    examples = re.findall(r"Example:\s*golkepar ([^\n]+)", help_text)
    assert examples, f"{path}: its help gives no `Example: golkepar ...`"
    for example in examples:
        words = shlex.split(example.split(">", 1)[0])
        assert " ".join(words[: len(path.split())]) == path, example
        # --help after the example's own options: an option or value that does not exist fails.
        parsed = runner.invoke(app, [*words, "--help"])
        assert parsed.exit_code == 0, f"{example}: {parsed.output}"
        assert summary in " ".join(parsed.output.split())


def test_the_readme_has_a_row_for_every_command_and_no_other() -> None:
    assert _readme_commands() == set(COMMANDS)
