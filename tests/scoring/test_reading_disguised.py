"""Files named .xls (or .xlsx) that are a web page, an XML Spreadsheet 2003 or a text table, as
"Export to Excel" buttons write them: each is read for what it is, with a note."""

import pandas as pd
import pytest

from scoring.column_types import ColumnType as T
from scoring.errors import LoadError
from scoring.reading import list_sheets, load_leads

REPORT_PAGE = """<html xmlns:x="urn:schemas-microsoft-com:office:excel">
<head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252"><style>td {{ }}</style></head>
<body>
<table><tr><td>Leads report</td></tr><tr><td>Generated 05/01/2026</td></tr></table>
<table border="1">
<tr><th>Lead Owner</th><th>Name</th><th>Company</th><th>Annual Revenue</th><th>Created Date</th><th>Notes</th></tr>
<tr><td>Jane</td><td>Ren\xe9e M\xfcller</td><td>Acme &amp; Co</td><td>1,200,000</td><td>1/5/2026</td><td>call<br>back</td></tr>
<tr><td>Jane</td><td>Bob Ng</td><td>Beta</td><td></td><td>2/6/2026</td><td colspan="1"><table><tr><td>x</td></tr></table></td></tr>
<tr><td>Joe</td><td>Cy</td><td colspan="2">Gamma (revenue unknown)</td><td>3/7/2026</td><td>  spaced
   out  </td></tr>
</table>
</body></html>"""


def test_a_web_page_named_xls_is_read_as_its_biggest_table(tmp_path):
    path = tmp_path / "report.xls"
    path.write_bytes(REPORT_PAGE.encode("cp1252"))
    assert [s.name for s in list_sheets(path)] == ["report"]          # one table: nothing to choose
    table = load_leads(path)
    assert list(table.frame.columns) == ["Lead Owner", "Name", "Company", "Annual Revenue",
                                         "Created Date", "Notes"]
    assert table.frame["Name"].tolist() == ["Renée Müller", "Bob Ng", "Cy"]
    assert table.frame["Company"].tolist() == ["Acme & Co", "Beta", "Gamma (revenue unknown)"]
    assert table.types["Annual Revenue"] == T.INTEGER
    assert table.frame["Annual Revenue"].tolist()[0] == 1_200_000
    assert pd.isna(table.frame["Annual Revenue"][2])                    # the spanned cell is empty
    assert table.frame["Created Date"].tolist() == [pd.Timestamp("2026-01-05"), pd.Timestamp("2026-02-06"),
                                                    pd.Timestamp("2026-03-07")]
    assert table.frame["Notes"].tolist()[0] == "call back" and table.frame["Notes"][2] == "spaced out"
    assert table.sheet is None
    assert table.warnings[0] == ("report.xls is a web page (an HTML table), not an Excel workbook, "
                                 "though its name ends in .xls; its table was read.")


def test_a_web_page_without_a_table_is_explained(tmp_path):
    path = tmp_path / "report.xls"
    path.write_text("<html><body><p>Your session has expired. Please log in.</p></body></html>")
    with pytest.raises(LoadError, match="web page .* holds no table of leads"):
        load_leads(path)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_a_text_table_named_xls_is_read_as_text(tmp_path, encoding):
    path = tmp_path / "leads.xls"
    text = "Name\tEmail\tScore\nAnn\ta@b.co\t5\nBob\tb@c.co\t7\n"
    path.write_bytes(text.encode(encoding))          # (UTF-16 with its byte-order mark)
    assert len(list_sheets(path)) == 1
    table = load_leads(path)
    assert table.frame["Score"].tolist() == [5, 7] and table.types["Email"] == T.EMAIL
    assert table.warnings[0].startswith("leads.xls is a text file, not an Excel workbook")


def test_a_csv_renamed_to_xlsx_is_read_as_text(tmp_path):
    path = tmp_path / "renamed.xlsx"
    path.write_text("name,email\nAnn,a@b.co\n")
    table = load_leads(path)
    assert table.frame["email"].tolist() == ["a@b.co"]
    assert "not an Excel workbook, though its name ends in .xlsx" in table.warnings[0]


SPREADSHEET_XML = """<?xml version="1.0" encoding="UTF-8"?>
<?mso-application progid="Excel.Sheet"?>
<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"
 xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet" xmlns:html="http://www.w3.org/TR/REC-html40">
 <Worksheet ss:Name="Read me"><Table><Row><Cell><Data ss:Type="String">Exported by the CRM</Data></Cell></Row></Table></Worksheet>
 <Worksheet ss:Name="Leads"><Table>
  <Row><Cell><Data ss:Type="String">Name</Data></Cell><Cell><Data ss:Type="String">Employees</Data></Cell>
   <Cell><Data ss:Type="String">Created</Data></Cell><Cell><Data ss:Type="String">Demo</Data></Cell>
   <Cell><Data ss:Type="String">Region</Data></Cell><Cell><Data ss:Type="String">Notes</Data></Cell></Row>
  <Row><Cell><Data ss:Type="String">Ann &amp; Co</Data></Cell><Cell><Data ss:Type="Number">120</Data></Cell>
   <Cell><Data ss:Type="DateTime">2026-01-05T00:00:00.000</Data></Cell><Cell><Data ss:Type="Boolean">1</Data></Cell>
   <Cell ss:MergeAcross="1"><Data ss:Type="String">EMEA</Data></Cell></Row>
  <Row><Cell><Data ss:Type="String">Bob</Data></Cell>
   <Cell ss:Index="3"><Data ss:Type="DateTime">2026-02-06T10:30:00.000</Data></Cell>
   <Cell><Data ss:Type="Boolean">0</Data></Cell><Cell><Data ss:Type="String">US</Data></Cell>
   <Cell><ss:Data ss:Type="String" xmlns="http://www.w3.org/TR/REC-html40"><B>Hot</B> lead</ss:Data></Cell></Row>
  <Row ss:Index="5"><Cell><Data ss:Type="String">Cy</Data></Cell><Cell><Data ss:Type="Number">7</Data></Cell></Row>
 </Table></Worksheet>
</Workbook>"""


def test_an_xml_spreadsheet_named_xls_keeps_its_sheets_and_kinds(tmp_path):
    path = tmp_path / "export.xls"
    path.write_text(SPREADSHEET_XML, encoding="utf-8")
    assert [(s.name, s.rows) for s in list_sheets(path)] == [("Read me", 1), ("Leads", 4)]
    table = load_leads(path)                          # the biggest table, as for a workbook
    assert table.sheet == "Leads"
    assert table.frame["Name"].tolist() == ["Ann & Co", "Bob", "Cy"]   # the gap row left out
    assert table.types["Employees"] == T.INTEGER and table.frame["Employees"].tolist()[::2] == [120, 7]
    assert table.frame["Created"].tolist()[:2] == [pd.Timestamp("2026-01-05"), pd.Timestamp("2026-02-06 10:30")]
    assert table.frame["Demo"].tolist()[:2] == [True, False]
    assert table.frame["Region"].tolist()[:2] == ["EMEA", "US"]
    assert pd.isna(table.frame["Notes"][0]) and table.frame["Notes"][1] == "Hot lead"
    with pytest.raises(LoadError, match="the sheet “Read me” holds only “Exported by the CRM”"):
        load_leads(path, sheet="Read me")
    with pytest.raises(LoadError, match="no sheet called “Deals” \\(it has: Read me, Leads\\)"):
        load_leads(path, sheet="Deals")


def test_a_damaged_xml_spreadsheet_is_explained(tmp_path):
    path = tmp_path / "export.xls"
    path.write_text(SPREADSHEET_XML[:900], encoding="utf-8")
    with pytest.raises(LoadError, match="XML Spreadsheet 2003 .* damaged"):
        load_leads(path)


def test_a_binary_file_named_xls_is_refused_in_words(tmp_path):
    path = tmp_path / "broken.xls"
    path.write_bytes(bytes(range(256)) * 40)
    with pytest.raises(LoadError, match="not an Excel workbook, though its name ends in .xls"):
        load_leads(path)


@pytest.mark.parametrize("kind", ["page", "xml"])
def test_reading_a_disguised_file_can_be_cancelled(tmp_path, kind):
    from scoring.errors import Cancelled
    path = tmp_path / "export.xls"
    if kind == "page":
        path.write_bytes(REPORT_PAGE.encode("cp1252"))
    else:
        path.write_text(SPREADSHEET_XML, encoding="utf-8")
    with pytest.raises(Cancelled):
        load_leads(path, is_cancelled=lambda: True)


def test_an_empty_worksheet_of_an_xml_spreadsheet_is_named_as_empty(tmp_path):
    path = tmp_path / "export.xls"
    path.write_text(SPREADSHEET_XML.replace('<Worksheet ss:Name="Read me"><Table><Row><Cell><Data '
                                            'ss:Type="String">Exported by the CRM</Data></Cell></Row>'
                                            '</Table></Worksheet>',
                                            '<Worksheet ss:Name="Read me"><Table/></Worksheet>'), encoding="utf-8")
    assert [(s.name, s.rows) for s in list_sheets(path)] == [("Read me", 0), ("Leads", 4)]
    with pytest.raises(LoadError, match="the sheet “Read me” is empty"):
        load_leads(path, sheet="Read me")
    assert load_leads(path).sheet == "Leads"


def test_comments_scripts_and_odd_text_in_a_page_are_not_cells(tmp_path):
    path = tmp_path / "odd.xls"
    path.write_text("<!DOCTYPE html><html><head><script>var t = '<table><tr><td>x</td></tr></table>';</script>"
                    "<style>td { color: red }</style></head><body><!-- <table><tr><td>old</td></tr></table> -->"
                    "<TABLE><TR><TH>name</TH><TH COLSPAN='2'>contact</TH><TH>score</TH></TR>"
                    "<TR><TD>Ann</TD><TD>a@b.co</TD><TD>+1 555</TD><TD>5 &lt; 7</TD></TR>"
                    "<TR><TD>Bob &amp; Co</TD><TD>b@c.co</TD><TD></TD><TD>a > b</TD></TR></TABLE></body></html>")
    table = load_leads(path)
    assert list(table.frame.columns) == ["name", "contact", "Column 3", "score"]
    assert table.frame["name"].tolist() == ["Ann", "Bob & Co"]
    assert table.frame["score"].tolist() == ["5 < 7", "a > b"]


def test_other_markup_named_xls_is_refused_in_words(tmp_path):
    path = tmp_path / "feed.xls"
    path.write_text('<?xml version="1.0"?><rss><channel><item>x</item></channel></rss>')
    with pytest.raises(LoadError, match="not an Excel workbook, though its name ends in .xls") as info:
        load_leads(path)
    assert "Cfb" not in str(info.value) and "save or export the leads as .xlsx or CSV" in str(info.value)
