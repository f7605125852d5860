import csv

from click.testing import CliRunner

from hub.cli import main
from hub.synthetic.population import generate_population, write_population_csv


def test_mash_link_writes_persons_and_households_and_reports_unreadable_rows(tmp_path):
    source = tmp_path / "catalogue.csv"
    write_population_csv(generate_population(60, seed=3), source)
    with source.open(newline="") as handle:
        header, *good = list(csv.reader(handle))
    first = good[0]
    bad_date = ["rBAD1", *first[1:7], "12/31/2019", *first[8:]]
    bad_role = ["rBAD2", *first[1:13], "lodger", *first[14:]]
    with source.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerows([header, *good, bad_date, good[1]])
        handle.write("rSHORT,police,E08000025\n")
        writer.writerow(bad_role)
    out = tmp_path / "linked.csv"

    result = CliRunner().invoke(main, ["link", str(source), "--out", str(out)])

    assert result.exit_code == 0, result.output
    assert f"{len(good)} records" in result.output and "4 rows rejected" in result.output
    with out.open() as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["record_id", "person_id", "household_id", "match_probability"]
    assert len(rows) == len(good)
    assert len({r["person_id"] for r in rows}) < len(good)
    assert len({r["household_id"] for r in rows}) < len({r["person_id"] for r in rows})
    with (tmp_path / "linked.rejects.csv").open() as handle:
        rejects = list(csv.reader(handle))
    assert rejects[0] == ["line", "reason"]
    reasons = {int(line): reason for line, reason in rejects[1:]}
    end = len(good) + 1  # the header is line 1
    assert "date_of_birth '12/31/2019'" in reasons[end + 1]
    assert "appears again" in reasons[end + 2]
    assert reasons[end + 3] == "wrong number of columns"
    assert "role 'lodger'" in reasons[end + 4]
