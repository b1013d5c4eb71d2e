"""Malformed, oversized and formula-bearing files get a clear message; the CLI and the upload
page import, report and refuse as the importer does."""

import csv
import io
import json

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from ncmd.registry.models import Case, FormSubmission, Identifiers
from ncmd.submissions.imports.importer import import_file, reports_dir
from ncmd.submissions.imports.reports import read_report
from tests.integration.test_import_notifications import AT, answers, cells, write_csv


@pytest.fixture
def importing(users, tmp_path):
    def run(path, mode="all_or_nothing", form="notification", **kwargs):
        return import_file(path=path, form_name=form, by=users["cdop_admin"], mode=mode, at=AT,
                           **kwargs)  # fmt: skip

    return run


def messages(run):
    return [p["message"] for p in read_report(reports_dir() / run.report)]


def test_a_file_that_is_not_utf8_is_refused_with_where(importing, tmp_path):
    path = write_csv(tmp_path / "latin1.csv", [answers(), answers()])
    text = path.read_text(encoding="utf-8").replace("Ava", "Zoë", 2)
    path.write_bytes(text.encode("cp1252"))
    run = importing(path)
    assert run.status == "refused" and Case.objects.count() == 0
    [message] = messages(run)
    assert message.startswith("The file is not UTF-8 text: save it as CSV UTF-8.")
    assert "line 2, at byte" in message


def test_utf8_with_a_byte_order_mark_is_read(importing, tmp_path):
    path = write_csv(tmp_path / "bom.csv", [answers(given_name="Zoë")])
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert importing(path).created == 1


def test_a_broken_xlsx_is_refused_clearly(importing, tmp_path):
    workbook = openpyxl.Workbook()
    workbook.active.append(["nhs_number"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(buffer.getvalue()[:400])
    run = importing(broken)
    assert run.status == "refused"
    assert "not a readable XLSX workbook" in messages(run)[0]


def test_a_file_whose_content_is_not_what_its_name_says_is_refused(importing, tmp_path):
    path = tmp_path / "deaths.xlsx"
    path.write_text("nhs_number\n9434765919\n")
    assert "named as a XLSX workbook but its content is a CSV" in messages(importing(path))[0]
    binary = tmp_path / "old.xls"
    binary.write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 100)
    assert "not a CSV, XLSX or JSON file" in messages(importing(binary))[0]


def test_an_oversized_file_is_refused_before_reading(importing, tmp_path, settings):
    settings.NCMD_IMPORT_MAX_BYTES = 100
    run = importing(write_csv(tmp_path / "big.csv", [answers()]))
    assert run.status == "refused" and run.rows == 0
    assert "the largest file that can be imported is" in messages(run)[0]


def test_malformed_json_is_refused_clearly(importing, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('[{"sex": "F"}, {"sex": ')
    assert "not valid" in messages(importing(path))[-1]
    path.write_text('["just a string"]')
    assert "is not an object of named answers" in messages(importing(path))[-1]
    lines = tmp_path / "bad.jsonl"
    lines.write_text(json.dumps(cells(answers())) + "\n{oops\n")
    run = importing(lines)
    assert run.status == "refused" and Case.objects.count() == 0
    assert "Line 2 is not a JSON object" in messages(run)[-1]


def test_unknown_and_repeated_columns_refuse_the_file(importing, tmp_path):
    row = {**answers(), "favourite_colour": "blue"}
    run = importing(write_csv(tmp_path / "extra.csv", [row]), mode="valid_rows")
    assert run.status == "refused" and Case.objects.count() == 0
    assert "'favourite_colour' is not a question" in messages(run)[0]
    path = tmp_path / "twice.csv"
    rows = [cells(answers())]
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow([*rows[0], "Sex"])
        writer.writerow([*rows[0].values(), "F"])
    assert "are the same question" in messages(importing(path))[0]


def test_a_csv_formula_is_imported_as_text_with_a_warning(importing, tmp_path):
    formula = '=HYPERLINK("http://evil.example","click")'
    run = importing(write_csv(tmp_path / "formula.csv", [answers(given_name=formula)]))
    assert run.status == "imported" and run.warnings == 1
    [warning] = read_report(reports_dir() / run.report)
    assert warning["severity"] == "warning" and "reads as a formula" in warning["message"]
    submission = FormSubmission.objects.get()
    assert Identifiers.objects.get(submission=submission).values["given_name"] == formula


def test_an_xlsx_formula_cell_is_refused(importing, tmp_path):
    row = cells(answers())
    workbook = openpyxl.Workbook()
    workbook.active.append(list(row))
    row["family_name"] = '=CONCAT("Ex","ample")'
    workbook.active.append(list(row.values()))
    workbook.save(tmp_path / "formula.xlsx")
    run = importing(tmp_path / "formula.xlsx")
    assert run.status == "refused"
    assert "holds a spreadsheet formula" in messages(run)[0]


def test_the_report_downloads_are_safe_against_formula_injection(client, users, importing,
                                                                  tmp_path):  # fmt: skip
    run = importing(write_csv(tmp_path / "bad.csv", [answers(sex="=1+2", given_name="@SUM(A1)")]))
    client.force_login(users["cdop_admin"])
    response = client.get(reverse("import_report", args=[run.pk, "csv"]))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = list(csv.DictReader(io.StringIO(text)))
    assert {"'=1+2", "'@SUM(A1)"} <= {line["value"] for line in lines}
    response = client.get(reverse("import_report", args=[run.pk, "xlsx"]))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = [row[2] for row in sheet.iter_rows(values_only=True)]
    assert "'=1+2" in values and not any(str(v).startswith("=") for v in values)


def test_the_command_imports_reports_and_exits_non_zero_on_refusal(users, tmp_path, capsys):
    good = write_csv(tmp_path / "good.csv", [{**answers(), "client_reference": "C1"}])
    call_command("import", str(good), form="notification", cdop="CDOP001", username="cdop_admin")
    assert "1 imported" in capsys.readouterr().out
    bad = write_csv(tmp_path / "bad.csv", [answers(sex="Z"), answers(nhs_number="9434765870")])
    report = tmp_path / "report.xlsx"
    with pytest.raises(SystemExit) as exit:
        call_command("import", str(bad), form="notification", username="cdop_admin",
                     valid_rows_only=True, report=str(report))  # fmt: skip
    assert exit.value.code == 1
    out = capsys.readouterr().out
    assert "1 imported" in out and "1 refused" in out and str(report) in out
    assert openpyxl.load_workbook(report).active.max_row == 2
    call_command("import", template="notification")
    headers = capsys.readouterr().out.strip().split(",")
    assert headers[:2] == ["client_reference", "cdop"] and "nhs_number" in headers


def test_upload_page_imports_a_file_and_shows_the_result(client, users):
    client.force_login(users["cdop_admin"])
    page = client.get(reverse("import_upload"))
    assert page.status_code == 200 and b"csrfmiddlewaretoken" in page.content
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, list(cells(answers())))
    writer.writeheader()
    writer.writerow(cells(answers()))
    data = buffer.getvalue().encode()
    upload = io.BytesIO(data)
    upload.name = "deaths.csv"
    response = client.post(reverse("import_upload"), {"form": "notification",
                           "mode": "all_or_nothing", "file": upload})  # fmt: skip
    assert response.status_code == 302
    result = client.get(response["Location"])
    assert b"Imported" in result.content and Case.objects.count() == 1
    again = io.BytesIO(data)
    again.name = "deaths-copy.csv"
    response = client.post(reverse("import_upload"), {"form": "notification",
                           "mode": "all_or_nothing", "file": again})  # fmt: skip
    result = client.get(response["Location"])
    assert b"This file was imported on" in result.content and b"nothing changed" in result.content
    assert Case.objects.count() == 1


def test_upload_page_refuses_without_a_file_and_for_other_roles(client, users, settings):
    client.force_login(users["cdop_admin"])
    response = client.post(reverse("import_upload"), {"form": "notification",
                           "mode": "all_or_nothing"})  # fmt: skip
    assert b"There is a problem" in response.content and b"Choose a CSV" in response.content
    settings.NCMD_IMPORT_MAX_BYTES = 10
    upload = io.BytesIO(b"x" * 100)
    upload.name = "big.csv"
    response = client.post(reverse("import_upload"), {"form": "notification",
                           "mode": "all_or_nothing", "file": upload})  # fmt: skip
    assert b"The file is larger than" in response.content
    client.force_login(users["cdop_member"])
    assert client.get(reverse("import_upload")).status_code == 403


def test_an_import_is_visible_only_within_its_scope(client, users, importing, tmp_path):
    run = importing(write_csv(tmp_path / "ok.csv", [answers()]))
    client.force_login(users["other_cdop_admin"])
    assert client.get(reverse("import_result", args=[run.pk])).status_code == 404
    assert client.get(reverse("import_report", args=[run.pk, "csv"])).status_code == 404
    client.force_login(users["national_admin"])
    assert client.get(reverse("import_result", args=[run.pk])).status_code == 200
