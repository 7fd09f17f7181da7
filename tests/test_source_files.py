"""The source stays easy to find one's way in: no module grows past a few hundred lines, and
comments say why, not which issue brought the code."""

import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAX_LINES = 650
# Text files a reader of the project meets: code, templates, styles, settings, docs.
TEXT_SUFFIXES = {".py", ".html", ".txt", ".css", ".js", ".toml", ".md", ".cfg", ".ini", ".sh"}
# The word issue followed by a number (with or without "#"), or a bare "(#number)".
ISSUE_REFERENCE = re.compile(r"\bissues?\s+#?\d|\(#\d+\)", re.IGNORECASE)


def project_modules():
    for package in ("casetracker", "cases", "orgs"):
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def project_text_files():
    """Every text file of the project, without walking into virtual environments or git."""
    for folder, subfolders, files in os.walk(ROOT):
        subfolders[:] = sorted(
            name
            for name in subfolders
            if not name.startswith(".venv")
            and name not in {".git", "node_modules", "staticfiles", "media", "__pycache__"}
        )
        for name in sorted(files):
            path = Path(folder) / name
            if path.suffix in TEXT_SUFFIXES or path == ROOT / ".ci" / "run":
                yield path


def test_no_module_is_over_650_lines():
    modules = list(project_modules())
    assert len(modules) > 50, "the walk finds the project's modules"
    too_long = {
        str(path.relative_to(ROOT)): lines
        for path in modules
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not too_long, f"modules over {MAX_LINES} lines, split them: {too_long}"


def test_no_comment_names_an_issue():
    files = list(project_text_files())
    assert ROOT / "README.md" in files
    assert ROOT / "cases" / "migrations" / "0001_initial.py" in files
    mentions = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in files
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if ISSUE_REFERENCE.search(line)
    ]
    assert not mentions, "say why, not when:\n" + "\n".join(mentions)
