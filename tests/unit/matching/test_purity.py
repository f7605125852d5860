import subprocess
import sys


def test_matching_imports_no_database_kafka_or_flask():
    code = (
        "import sys, matching, matching.deterministic, matching.normalise\n"
        "bad = [m for m in ('sqlalchemy', 'kafka', 'flask', 'hub') if m in sys.modules]\n"
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
