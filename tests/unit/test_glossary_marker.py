"""The marker finds the glossary's terms in a line of the draft: whole words, the longest form,
each term once per paragraph, and everything else escaped; a page carries each marked term's
explanation once."""

import re

from markupsafe import Markup

from consult.models.types import utcnow
from consult.services import glossary as glossary_service
from consult.services.consultations import slug_from_title
from consult.services.glossary import Glossary, GlossaryEntry
from tests.conftest import html
from tests.factories import make_consultation, make_paragraph, make_section


def entry(term, *variants, explanation="Erklärt."):
    return GlossaryEntry(
        term=term,
        slug=slug_from_title(term),
        forms=(term, *variants),
        name="",
        explanation=explanation,
        language="de",
        requested="de",
    )


def glossary(*entries):
    return Glossary("de", tuple(entries))


def render(found, text):
    return Markup('<mark data-term="{}">{}</mark>').format(found.slug, text)


def marked(glossary, *lines):
    """The lines of one paragraph, marked."""
    seen = set()
    return [str(glossary.mark(line, seen, render)) for line in lines]


def test_a_term_is_marked_as_a_whole_word_only():
    baustein = glossary(entry("Baustein"))
    assert marked(baustein, "Baustein 1 ist fertig.") == [
        '<mark data-term="baustein">Baustein</mark> 1 ist fertig.'
    ]
    # Inside a compound it is another word; a hyphen ends a word.
    assert marked(baustein, "Der Bausteinkasten und Legobaustein.") == [
        "Der Bausteinkasten und Legobaustein."
    ]
    (line,) = marked(glossary(entry("KIM")), "Die KIM-Koordinierung beginnt.")
    assert line == 'Die <mark data-term="kim">KIM</mark>-Koordinierung beginnt.'


def test_variants_are_marked_as_their_term():
    (line,) = marked(glossary(entry("Baustein", "Bausteine", "Bausteinen")), "in drei Bausteinen")
    assert line == 'in drei <mark data-term="baustein">Bausteinen</mark>'


def test_the_longest_form_wins():
    terms = glossary(
        entry("Integrationszentrum"),
        entry("Kommunales Integrationszentrum", "Kommunalen Integrationszentrums"),
        entry("SGB II"),
        entry("SGB III"),
    )
    (line,) = marked(terms, "Aufgabe des Kommunalen Integrationszentrums nach SGB III und SGB II")
    assert line == (
        'Aufgabe des <mark data-term="kommunales-integrationszentrum">Kommunalen '
        'Integrationszentrums</mark> nach <mark data-term="sgb-iii">SGB III</mark> und '
        '<mark data-term="sgb-ii">SGB II</mark>'
    )


def test_only_the_first_occurrence_in_a_paragraph_is_marked():
    terms = glossary(entry("Duldung", "Duldungen"), entry("Kreistag"))
    first, second = marked(
        terms, "Duldung und Duldungen; der Kreistag.", "Wieder eine Duldung im Kreistag."
    )
    assert first == (
        '<mark data-term="duldung">Duldung</mark> und Duldungen; der '
        '<mark data-term="kreistag">Kreistag</mark>.'
    )
    assert second == "Wieder eine Duldung im Kreistag."
    # The next paragraph starts afresh.
    (next_paragraph,) = marked(terms, "Eine Duldung.")
    assert next_paragraph == 'Eine <mark data-term="duldung">Duldung</mark>.'


def test_a_term_inside_markup_stays_inert_text():
    (line,) = marked(
        glossary(entry("Duldung")), '<script>alert("Duldung")</script> & <b>Duldung</b>'
    )
    assert "<script>" not in line and "<b>" not in line
    assert line == (
        '&lt;script&gt;alert(&#34;<mark data-term="duldung">Duldung</mark>&#34;)'
        "&lt;/script&gt; &amp; &lt;b&gt;Duldung&lt;/b&gt;"
    )
    # Text without a term, and a glossary without terms, are escaped as well.
    assert marked(glossary(entry("Kreistag")), "<i>nichts</i>") == ["&lt;i&gt;nichts&lt;/i&gt;"]
    assert marked(glossary(), "<i>nichts</i>") == ["&lt;i&gt;nichts&lt;/i&gt;"]


def test_forms_with_signs_and_spaces_match_as_written():
    terms = glossary(entry("Bleiberecht", "§ 25a"))
    assert marked(terms, "nach § 25a AufenthG") == [
        'nach <mark data-term="bleiberecht">§ 25a</mark> AufenthG'
    ]
    # A no-break space or a line break between the parts still matches; "§ 25ab" does not.
    assert marked(terms, "nach §\u00a025a")[0].endswith("§\u00a025a</mark>")
    assert marked(terms, "nach § 25ab") == ["nach § 25ab"]


def test_lowercase_forms_match_at_the_start_of_a_sentence_nouns_match_exactly():
    terms = glossary(
        entry("rechtskreisübergreifend", "rechtskreisübergreifende"),
        entry("Aufenthaltsgestattung", "Gestattete"),
    )
    (line,) = marked(terms, "Rechtskreisübergreifende Fälle.")
    assert (
        line == '<mark data-term="rechtskreisuebergreifend">Rechtskreisübergreifende</mark> Fälle.'
    )
    assert marked(terms, "Er gestattete es.") == ["Er gestattete es."]
    assert marked(terms, "Gestattete warten.")[0].startswith(
        '<mark data-term="aufenthaltsgestattung">'
    )


def test_a_term_without_explanation_is_not_marked():
    assert marked(glossary(entry("Kreistag", explanation="")), "Der Kreistag.") == ["Der Kreistag."]


def test_the_pattern_is_compiled_once_per_state_of_the_glossary():
    first = glossary(entry("Kreistag"), entry("Duldung"))
    again = glossary(entry("Duldung"), entry("Kreistag", explanation="Anders erklärt."))
    changed = glossary(entry("Kreistag", "Kreistages"), entry("Duldung"))
    # Another request's glossary with the same forms (a changed explanation does not count).
    assert again._pattern is first._pattern
    assert changed._pattern is not first._pattern


def test_a_long_draft_carries_each_marked_terms_note_once(client):
    """Each paragraph marks its terms afresh, but the page holds one hidden note per term: a
    draft that uses the same terms in every paragraph grows by its text, not by explanations."""
    long_text = "Eine lange Erklärung des Begriffs. " * 50
    for term in ("Lenkungsgruppe", "Kreistag", "Duldung", "Unbenutzt"):
        glossary_service.create_term(
            glossary_service.TermDetails(
                term, (), {"de": glossary_service.ExplanationText("", f"{term}: {long_text}")}
            ),
            languages=("de", "en"),
            actor=None,
            now=utcnow(),
        )
    text = "Die Lenkungsgruppe berichtet dem Kreistag über jede Duldung."

    def page_with(paragraphs):
        consultation = make_consultation(title=f"Entwurf mit {paragraphs} Absätzen")
        section = make_section(consultation, number=1, title="Struktur")
        for number in range(1, paragraphs + 1):
            make_paragraph(section, number, title=f"Absatz {number}", text=text)
        return html(client.get(f"/de/c/{consultation.slug}/"))

    short, long = page_with(1), page_with(60)
    assert long.count('class="term"') == 3 * 60
    notes = re.findall(r'<span class="term-note" id="([^"]+)"[^>]* hidden>', long)
    # The three terms the draft uses, once each; the unused term has none.
    assert sorted(notes) == ["term-note-duldung", "term-note-kreistag", "term-note-lenkungsgruppe"]
    assert long.count(long_text.strip()) == 3
    # A paragraph adds its own markup (about 1.3 KiB), where it used to add its three terms'
    # explanations (over 5 KiB) as well.
    assert (len(long) - len(short)) / 59 < 1.5 * len(long_text)
