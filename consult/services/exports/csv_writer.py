"""The Abwägungstabelle as CSV for spreadsheets: the way German Excel opens it by double-click.

UTF-8 with a byte order mark (without it Excel reads the umlauts as Windows-1252), semicolons
between fields (German Excel's list separator; a comma file opens as one column there), CRLF
line ends and every field quoted, so line breaks inside a comment stay inside its cell.
"""

import csv
import io

from consult.services.exports.columns import FLAT_COLUMNS, cells
from consult.services.exports.vocabulary import Vocabulary
from consult.services.summary import Summary

DELIMITER = ";"
# A spreadsheet runs a cell starting with one of these as a formula (CSV injection); a leading
# apostrophe makes it text, as OWASP recommends.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(text: str) -> str:
    return f"'{text}" if text.startswith(_FORMULA_STARTS) else text


def write(summary: Summary, vocabulary: Vocabulary) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=DELIMITER, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow([safe_cell(vocabulary.headers[column.key]) for column in FLAT_COLUMNS])
    writer.writerows(
        [safe_cell(cell) for cell in cells(row, vocabulary, FLAT_COLUMNS)] for row in summary.rows
    )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
