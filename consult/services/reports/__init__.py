"""The participation report for the Kreistag (Beteiligungsbericht): its content built once
from a Summary (content.py), printed as HTML and PDF (pdf.py, through one template) and as
DOCX (docx_report.py). Writers never query the database."""
