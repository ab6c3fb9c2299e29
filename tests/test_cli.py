from __future__ import annotations

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from golkepar.cli import app

runner = CliRunner()


def _all_commands() -> list[list[str]]:
    root = get_command(app)
    paths: list[list[str]] = []
    for name, command in root.commands.items():  # type: ignore[attr-defined]
        if hasattr(command, "commands"):  # a group of sub-commands
            paths.extend([name, sub] for sub in command.commands)
        else:
            paths.append([name])
    return paths


def test_help_lists_every_stage() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for stage in ("geoip", "fetch", "ingest", "build", "report", "run", "demo"):
        assert stage in result.output


@pytest.mark.parametrize("command", _all_commands(), ids=" ".join)
def test_every_command_has_help(command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.output
    usage_and_help = result.output.split("Options:")[0]
    assert len(usage_and_help.strip().splitlines()) >= 3, "command has no help text"
