"""surveys.importers never imports Flask, SQLAlchemy or evalapp (DESIGN.md, layout)."""

from __future__ import annotations

import subprocess
import sys

CHECK = ("import sys, surveys.importers; "
         "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
         "('flask', 'sqlalchemy', 'evalapp', 'werkzeug')); print(bad); sys.exit(bool(bad))")


def test_no_web_or_database_imports() -> None:
    result = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stdout + result.stderr
