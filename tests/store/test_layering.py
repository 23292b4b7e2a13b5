"""The store stays an optional adapter: the core and the CLI import without database packages."""

from __future__ import annotations

import subprocess
import sys
import textwrap

BLOCK = textwrap.dedent(
    """
    import sys
    class Block:
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in {"sqlalchemy", "alembic", "psycopg"}:
                raise ModuleNotFoundError(f"No module named {name!r}", name=name)
    sys.meta_path.insert(0, Block())
    """
)


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", BLOCK + textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_cli_records_and_movement_import_without_the_store_extra() -> None:
    """Also: movement (pure core) pulls in neither Excel nor database packages."""
    proc = _run(
        """
        import sys
        import ltpgap.rag.movement
        bad = {"openpyxl", "xlwings", "sqlalchemy"} & {m.split(".")[0] for m in sys.modules}
        assert not bad, bad
        import ltpgap.cli
        from ltpgap.store import MergeRecord, SubmissionRecord, inputs_hash
        assert len(inputs_hash({})) == 64
        print("ok")
        """
    )
    assert proc.returncode == 0 and proc.stdout.strip() == "ok", proc.stderr


def test_history_without_the_store_extra_says_how_to_install_it() -> None:
    proc = _run(
        """
        import sys
        from ltpgap.cli import main
        sys.argv = ["ltpgap", "history", "--db", "x.sqlite"]
        main()
        """
    )
    assert proc.returncode == 1
    assert "pip install 'ltpgap[store]'" in proc.stderr and "Traceback" not in proc.stderr
