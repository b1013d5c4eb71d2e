"""Reading researchers' output tables and checking them cell by cell."""

import io

import pytest
from openpyxl import Workbook

from ncmd.access.outputs import OutputError, check_table, read_tables
from ncmd.stats.disclosure import DisclosureRule


def findings(text, rule=None):
    (table,) = read_tables("t.csv", text.encode())
    return check_table(table, rule or DisclosureRule())


def test_a_safe_table_has_no_findings():
    assert findings("Category,Boys,Girls,Total\nA,10,20,30\nB,20,25,45\nTotal,30,45,75\n") == []


def test_small_counts_are_reported_cell_by_cell():
    found = findings("Region,2023,2024\nNorth,3,12\nSouth,15,7\n")
    assert [(f["row"], f["column"], f["value"]) for f in found] == [
        ("North", "2023", "3"),
        ("South", "2024", "7"),
    ]
    assert all(f["kind"] == "small" for f in found)
    assert findings("Region,2023\nNorth,0\nSouth,8\n") == []  # 0 and 8 are outside 1 to 7


def test_the_rule_is_configurable():
    assert findings("Region,2023\nNorth,9\n", DisclosureRule(1, 10, 5))[0]["value"] == "9"


def test_a_suppressed_cell_recoverable_from_its_row_total_is_reported():
    (found,) = findings("Category,Boys,Girls,Total\nA,10,*,14\nB,20,25,45\nTotal,30,29,59\n")
    assert (found["row"], found["column"], found["kind"]) == ("A", "Girls", "recoverable")
    assert "[A / Total] − [A / Boys]" in found["problem"]


def test_complementary_suppression_protects_the_cells():
    text = "Category,Boys,Girls,Total\nA,*,*,14\nB,*,*,45\nTotal,30,29,59\n"
    assert findings(text) == []


def test_totals_that_are_not_published_are_not_findings():
    # without totals, one suppressed cell cannot be worked out
    assert findings("Category,Boys,Girls\nA,10,*\nB,20,25\n") == []


def test_one_way_tables_and_symbols():
    text = "Age,Deaths\n0,12\n1,<5\n2,20\nTotal,40\n"
    (found,) = findings(text)
    assert (
        found["row"] == "1" and "[Total / Deaths] − [0 / Deaths] − [2 / Deaths]" in found["problem"]
    )
    for symbol in ("*", "c", "x", "[c]", "..", "<10"):
        assert findings(f"Age,Deaths\n0,12\n1,{symbol}\n2,{symbol}\nTotal,40\n") == []


def test_counts_with_thousands_separators_and_whole_floats():
    (table,) = read_tables("t.csv", b'Year,Deaths\n2023,"3,492"\n2024,3500.0\n')
    assert table.cells == [[3492], [3500]]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("t.txt", b"a,b\n1,2\n", "upload a CSV file"),
        ("t.csv", b"Category,Deaths\nA,ten\n", "row 2, Deaths: 'ten' is not a count"),
        ("t.csv", b"Category,Deaths\nA,\n", "row 2, Deaths: the cell is empty"),
        ("t.csv", b"Category,Deaths\nA,-3\n", "'-3' is not a count"),
        ("t.csv", b"Deaths\n", "a heading row, a label column"),
        ("t.csv", "Café,Deaths\nA,1\n".encode("latin-1"), "not UTF-8"),
        ("t.csv", b"\x00\x01\x02binary", "not text"),
        ("t.xlsx", b"not a zip at all", "not an Excel workbook"),
        ("t.xlsx", b"PK\x03\x04broken", "could not be read"),
    ],
)
def test_broken_files_get_a_clear_message(name, content, message):
    with pytest.raises(OutputError, match=message.replace("(", r"\(").replace("'", "'")):
        read_tables(name, content)


def test_each_sheet_of_a_workbook_is_a_table():
    book = Workbook()
    book.active.title = "Table 1"
    book.active.append(["Age", "Deaths"])
    book.active.append(["Under 1", 30])
    second = book.create_sheet("Table 2")
    second.append(["Sex", "Deaths"])
    second.append(["Female", 2])
    data = io.BytesIO()
    book.save(data)
    tables = read_tables("tables.xlsx", data.getvalue())
    assert [t.title for t in tables] == ["Table 1", "Table 2"]
    assert check_table(tables[1])[0]["row"] == "Female"
