"""The source stays easy to find one's way in: no module grows past a few hundred lines, comments
say why, not which issue brought the code, and every path the README and docs/ name exists."""

import importlib
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


# `cases/public/figures.py`, `cases.public.allowlist.PUBLIC_FIELDS`: a module, folder or name of
# the project, written in backticks in the README or docs/.
DOCUMENTED_NAME = re.compile(r"`((?:casetracker|cases|orgs|tests)[./][\w./]*)`")
DATA_SUFFIXES = (".csv", ".xlsx", ".pdf", ".svg", ".json", ".sqlite3", ".org")


def _documented_name_exists(name):
    if "/" in name:
        return (ROOT / name.rstrip("/")).exists()
    parts = name.split(".")
    for split in range(len(parts), 0, -1):
        try:
            target = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        for attribute in parts[split:]:
            if not hasattr(target, attribute):
                return False
            target = getattr(target, attribute)
        return True
    return False


def test_every_path_and_name_the_docs_give_exists():
    documents = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    names = {
        (document.name, name)
        for document in documents
        for name in DOCUMENTED_NAME.findall(document.read_text(encoding="utf-8"))
        # A bare "cases.py" is a file of a folder named just before it in the same line.
        if not name.endswith(DATA_SUFFIXES) and not ("/" not in name and name.endswith(".py"))
    }
    assert ("README.md", "cases.public.allowlist.PUBLIC_FIELDS") in names
    missing = sorted(
        f"{document}: {name}" for document, name in names if not _documented_name_exists(name)
    )
    assert not missing, "the docs name what is not there:\n" + "\n".join(missing)
