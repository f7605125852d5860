import subprocess
import sys


def test_matching_imports_no_database_kafka_or_flask():
    code = (
        "import importlib, pkgutil, sys, matching\n"
        "for m in pkgutil.iter_modules(matching.__path__):\n"
        "    importlib.import_module(f'matching.{m.name}')\n"
        "bad = [m for m in ('sqlalchemy', 'kafka', 'flask', 'hub') if m in sys.modules]\n"
        "print(len(list(pkgutil.iter_modules(matching.__path__))), ','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    modules, bad = out.stdout.split(" ", 1)
    assert int(modules) >= 10
    assert bad.strip() == ""
