"""The README and the CLI's --help are checked against each other and against the settings."""
import re
import subprocess
import sys

from depeche.cli import build_parser
from depeche.docs import settings_table
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _subparsers():
    parser = build_parser()
    action = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    return action.choices


def test_every_command_and_flag_of_help_is_in_the_readme():
    for name, sub in _subparsers().items():
        assert f"depeche {name}" in README, f"README does not show `depeche {name}`"
        for action in sub._actions:
            for flag in action.option_strings:
                if flag in ("-h", "--help"):
                    continue
                assert flag in README, f"`depeche {name} {flag}` is in --help but not in the README"


def test_every_flag_the_readme_shows_exists():
    commands = _subparsers()
    for cmd, rest in re.findall(r"depeche (index|ask|chat|eval)([^`\n|]*)", README):
        flags = {f for a in commands[cmd]._actions for f in a.option_strings}
        for flag in re.findall(r"(?<![\w-])(--?[a-z][a-z0-9-]*)", rest):
            assert flag in flags, f"README shows `depeche {cmd} ... {flag}`, which --help does not know"


def test_settings_table_in_readme_matches_the_settings_object():
    assert settings_table() in README, "README's settings table is stale: paste `python -m depeche.docs`"


def test_help_is_instant_because_heavy_libraries_stay_lazy():
    code = ("import sys, depeche.cli as c\n"
            "try:\n    c.main(['--help'])\nexcept SystemExit:\n    pass\n"
            "heavy = [m for m in ('torch', 'gradio', 'chromadb', 'spacy', 'sentence_transformers', 'llama_index') "
            "if m in sys.modules]\nprint('HEAVY=' + ','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    heavy = out.stdout.strip().splitlines()[-1]
    assert heavy == "HEAVY=", f"--help imported {heavy}"
