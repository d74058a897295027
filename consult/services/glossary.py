"""The glossary: terms of the draft explained in plain words, per language.

Administrators keep the terms (German, as the binding draft is) and their explanations; readers
get a read model in their language with German as the fallback, and a marker that finds the
terms in the draft's text. The marker's pattern is compiled once per state of the glossary,
because the document page runs it over every line of a long draft."""

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

from markupsafe import Markup, escape
from sqlalchemy import and_, select
from sqlalchemy.orm import selectinload

from consult.extensions import db
from consult.models import GlossaryExplanation, GlossaryTerm
from consult.services import audit
from consult.services.consultations import slug_from_title
from consult.services.errors import ServiceError
from consult.services.slugs import free_slug
from consult.text import normalise_newlines

# The language of the terms and of the explanation every reader can fall back to.
SOURCE_LANGUAGE = "de"
TERM_MAX_LENGTH = 120
SLUG_MAX_LENGTH = 140
VARIANT_MAX_LENGTH = 120
VARIANTS_MAX_COUNT = 30
NAME_MAX_LENGTH = 160
EXPLANATION_MAX_LENGTH = 2000
# Ids the glossary page uses itself: an entry's id is its slug, so no slug may take one.
_RESERVED_SLUGS = frozenset({"main", "live-region", "glossary-index"})
# What slug_from_title answers for a term without a single Latin letter or digit.
_NO_LATIN_SLUG = "consultation"


# --- refusals --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One thing wrong with what was typed: the field it belongs to ("term", "variants",
    "name:<lang>", "explanation:<lang>"), a code, and what the message needs."""

    field: str
    code: str
    params: dict = field(default_factory=dict)


class InvalidTerm(ServiceError):
    """Nothing was saved; `problems` says why, field by field."""

    def __init__(self, problems: list[Problem]):
        super().__init__(", ".join(f"{p.field}:{p.code}" for p in problems))
        self.problems = problems


# Problem codes.
REQUIRED = "required"
TOO_LONG = "too_long"
TOO_MANY = "too_many"
TERM_TAKEN = "term_taken"
FORM_TAKEN = "form_taken"
UNKNOWN_LANGUAGE = "unknown_language"
NAME_WITHOUT_EXPLANATION = "name_without_explanation"


# --- writing ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExplanationText:
    name: str = ""
    explanation: str = ""


@dataclass(frozen=True)
class TermDetails:
    """What an administrator types about a term. `explanations` maps a language code to its
    text; a language whose name and explanation are both empty has no explanation."""

    term: str
    variants: Iterable[str] = ()
    explanations: dict[str, ExplanationText] = field(default_factory=dict)


def _one_line(value: str | None) -> str:
    return " ".join((value or "").split())


def _block(value: str | None) -> str:
    return (normalise_newlines(value) or "").strip()


def variants_from_text(text: str | None) -> list[str]:
    """The variants field of the admin form: one form per line."""
    lines = (normalise_newlines(text) or "").split("\n")
    return [line.strip() for line in lines if line.strip()]


def _fold(text: str) -> str:
    return _one_line(text).casefold()


@dataclass(frozen=True)
class _Cleaned:
    term: str
    variants: list[str]
    explanations: dict[str, ExplanationText]


def _clean(details: TermDetails, languages: Iterable[str]) -> tuple[_Cleaned, list[Problem]]:
    problems = []
    term = _one_line(details.term)
    if not term:
        problems.append(Problem("term", REQUIRED))
    elif len(term) > TERM_MAX_LENGTH:
        problems.append(Problem("term", TOO_LONG, {"max": TERM_MAX_LENGTH}))

    variants: list[str] = []
    seen = {_fold(term)}
    for raw in details.variants:
        variant = _one_line(raw)
        if not variant or _fold(variant) in seen:
            continue
        seen.add(_fold(variant))
        if len(variant) > VARIANT_MAX_LENGTH:
            problems.append(
                Problem("variants", TOO_LONG, {"max": VARIANT_MAX_LENGTH, "variant": variant})
            )
        variants.append(variant)
    if len(variants) > VARIANTS_MAX_COUNT:
        problems.append(Problem("variants", TOO_MANY, {"max": VARIANTS_MAX_COUNT}))

    known = set(languages) | {SOURCE_LANGUAGE}
    explanations = {}
    for language, text in details.explanations.items():
        if language not in known:
            problems.append(Problem(f"explanation:{language}", UNKNOWN_LANGUAGE))
            continue
        name, explanation = _one_line(text.name), _block(text.explanation)
        if len(name) > NAME_MAX_LENGTH:
            problems.append(Problem(f"name:{language}", TOO_LONG, {"max": NAME_MAX_LENGTH}))
        if len(explanation) > EXPLANATION_MAX_LENGTH:
            problems.append(
                Problem(f"explanation:{language}", TOO_LONG, {"max": EXPLANATION_MAX_LENGTH})
            )
        if name and not explanation:
            problems.append(Problem(f"explanation:{language}", NAME_WITHOUT_EXPLANATION))
        if name or explanation:
            explanations[language] = ExplanationText(name, explanation)
    # German is what every reader falls back to, so a term is never without it.
    if SOURCE_LANGUAGE not in explanations and not any(
        p.field == f"explanation:{SOURCE_LANGUAGE}" for p in problems
    ):
        problems.append(Problem(f"explanation:{SOURCE_LANGUAGE}", REQUIRED))
    return _Cleaned(term, variants, explanations), problems


def _check_unique(cleaned: _Cleaned, exclude_id: int | None) -> list[Problem]:
    """The term and each variant may belong to one term only, ignoring case. The glossary is
    small, so its forms are compared here rather than by the database, whose lower() leaves
    umlauts alone on SQLite."""
    owners: dict[str, str] = {}
    query = select(GlossaryTerm.id, GlossaryTerm.term, GlossaryTerm.variants)
    for term_id, term, variants in db.session.execute(query):
        if term_id == exclude_id:
            continue
        for form in (term, *variants_from_text(variants)):
            owners.setdefault(_fold(form), term)
    problems = []
    if (owner := owners.get(_fold(cleaned.term))) is not None:
        problems.append(Problem("term", TERM_TAKEN, {"term": owner}))
    for variant in cleaned.variants:
        if (owner := owners.get(_fold(variant))) is not None:
            problems.append(Problem("variants", FORM_TAKEN, {"variant": variant, "term": owner}))
    return problems


def _validated(details: TermDetails, languages: Iterable[str], exclude_id: int | None):
    cleaned, problems = _clean(details, languages)
    if cleaned.term:
        problems += _check_unique(cleaned, exclude_id)
    if problems:
        raise InvalidTerm(problems)
    return cleaned


def _slug_base(term: str) -> str:
    base = slug_from_title(term)
    if base == _NO_LATIN_SLUG and _NO_LATIN_SLUG not in term.casefold():
        return "term"
    # The A–Z sections are "letter-a" ... on the same page.
    if base.startswith("letter-"):
        base = f"term-{base}"
    return base[: SLUG_MAX_LENGTH - 4].rstrip("-")


def _free_slug(base: str, exclude_id: int | None) -> str:
    return free_slug(GlossaryTerm, base, exclude_id=exclude_id, reserved=_RESERVED_SLUGS)


def _apply_explanations(
    term: GlossaryTerm, explanations: dict[str, ExplanationText], languages: Iterable[str]
) -> list[str]:
    """Bring the term's explanations in `languages` to what was typed; returns the languages
    that changed. Languages the form did not offer (disabled ones) stay as they are."""
    existing = {e.language: e for e in term.explanations}
    changed = []
    for language in sorted(set(languages) | {SOURCE_LANGUAGE}):
        wanted = explanations.get(language)
        current = existing.get(language)
        if wanted is None:
            if current is not None:
                term.explanations.remove(current)
                changed.append(language)
        elif current is None:
            term.explanations.append(
                GlossaryExplanation(
                    language=language, name=wanted.name, explanation=wanted.explanation
                )
            )
            changed.append(language)
        elif (current.name, current.explanation) != (wanted.name, wanted.explanation):
            current.name, current.explanation = wanted.name, wanted.explanation
            changed.append(language)
    return changed


def create_term(
    details: TermDetails, *, languages: Iterable[str], actor, now: datetime
) -> GlossaryTerm:
    """A new term with its explanations in `languages` (the enabled ones; German always)."""
    languages = list(languages)
    cleaned = _validated(details, languages, exclude_id=None)
    term = GlossaryTerm(
        term=cleaned.term,
        slug=_free_slug(_slug_base(cleaned.term), exclude_id=None),
        variants="\n".join(cleaned.variants),
        created_at=now,
        updated_at=now,
    )
    # A new object's collection is empty, not unloaded: lazy="raise" does not apply.
    term.explanations = []
    _apply_explanations(term, cleaned.explanations, languages)
    db.session.add(term)
    db.session.flush()
    audit.record(
        actor,
        "glossary.created",
        term,
        {"term": term.term, "languages": sorted(cleaned.explanations)},
        now=now,
    )
    return term


def update_term(
    term: GlossaryTerm, details: TermDetails, *, languages: Iterable[str], actor, now: datetime
) -> list[str]:
    """Change a term loaded by term_by_id(); returns what changed ("term", "variants",
    "explanation:<lang>"). The slug follows a changed term, so that the address of an entry
    always names it."""
    languages = list(languages)
    cleaned = _validated(details, languages, exclude_id=term.id)
    changed = []
    if cleaned.term != term.term:
        changed.append("term")
        term.term = cleaned.term
        base = _slug_base(cleaned.term)
        # "kim-2" stays "kim-2" while the term still makes "kim".
        if not re.fullmatch(rf"{re.escape(base)}(?:-\d+)?", term.slug):
            term.slug = _free_slug(base, exclude_id=term.id)
    variants = "\n".join(cleaned.variants)
    if variants != term.variants:
        changed.append("variants")
        term.variants = variants
    changed += [
        f"explanation:{language}"
        for language in _apply_explanations(term, cleaned.explanations, languages)
    ]
    if changed:
        # Set by hand: a change to an explanation alone would leave the term's row untouched.
        term.updated_at = now
        db.session.flush()
        audit.record(actor, "glossary.updated", term, {"changed": changed}, now=now)
    return changed


def delete_term(term: GlossaryTerm, *, actor, now: datetime) -> None:
    audit.record(actor, "glossary.deleted", term, {"term": term.term}, now=now)
    db.session.delete(term)
    db.session.flush()


def term_by_id(term_id: int) -> GlossaryTerm | None:
    """A term with its explanations, for editing."""
    return db.session.scalars(
        select(GlossaryTerm)
        .where(GlossaryTerm.id == term_id)
        .options(selectinload(GlossaryTerm.explanations))
    ).one_or_none()


def details_of(term: GlossaryTerm) -> TermDetails:
    """What the edit form starts from."""
    return TermDetails(
        term=term.term,
        variants=variants_from_text(term.variants),
        explanations={
            e.language: ExplanationText(e.name, e.explanation) for e in term.explanations
        },
    )


# --- the administration's list ---------------------------------------------------------------


def sort_key(text: str) -> str:
    """Dictionary order as German readers expect it: "Ä" files under "A", "ß" as "ss"."""
    folded = unicodedata.normalize("NFKD", text.casefold().replace("ß", "ss"))
    return "".join(c for c in folded if not unicodedata.combining(c))


def index_letter(text: str) -> str:
    """The letter of the A–Z index a term files under; "#" for one starting otherwise."""
    key = sort_key(text).lstrip("§ ")
    first = key[:1]
    return first.upper() if "a" <= first <= "z" else "#"


@dataclass(frozen=True)
class AdminRow:
    term: GlossaryTerm
    languages: frozenset[str]


def admin_list(search: str = "") -> list[AdminRow]:
    """Every term A–Z with the languages it is explained in, narrowed to those whose term,
    variants, names or explanations contain `search` (ignoring case). Two queries."""
    terms = db.session.scalars(
        select(GlossaryTerm).options(selectinload(GlossaryTerm.explanations))
    ).all()
    needle = _fold(search)

    def matches(term: GlossaryTerm) -> bool:
        texts = [term.term, term.variants]
        texts += [text for e in term.explanations for text in (e.name, e.explanation)]
        return any(needle in _fold(text) for text in texts)

    return [
        AdminRow(term, frozenset(e.language for e in term.explanations))
        for term in sorted(terms, key=lambda t: sort_key(t.term))
        if not needle or matches(term)
    ]


# --- reading ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class GlossaryEntry:
    term: str
    slug: str
    forms: tuple[str, ...]
    # In the reader's language where written, otherwise German: `language` says which.
    name: str
    explanation: str
    language: str
    requested: str

    @property
    def is_fallback(self) -> bool:
        """The reader asked for another language and gets the German text."""
        return self.language != self.requested

    @property
    def shown_name(self) -> str:
        """The name beside the German term, when it says something the term does not."""
        return self.name if self.name and self.name != self.term else ""

    @property
    def letter(self) -> str:
        return index_letter(self.term)


Render = Callable[[GlossaryEntry, str], Markup]


@dataclass(frozen=True)
class _Pattern:
    regex: re.Pattern | None
    # A found form, normalised by _lookup_key, -> the slug of its term.
    slugs: dict[str, str]
    terms: int = 0


def _lookup_key(text: str) -> str:
    text = " ".join(text.split())
    return text[:1].casefold() + text[1:]


def _form_regex(form: str) -> str:
    words = form.split()
    parts = [re.escape(word) for word in words]
    first = words[0][0]
    # A lowercase form may open a sentence ("Rechtskreisübergreifende Fälle"), so its first
    # letter matches in either case. Capitalised forms (nouns) stay exact, which keeps
    # "Gestattete" apart from the verb "gestattete".
    if first.islower() and len(first.upper()) == 1:
        parts[0] = f"[{re.escape(first.lower())}{re.escape(first.upper())}]" + re.escape(
            words[0][1:]
        )
    # Text wraps and the draft may use no-break spaces, e.g. in "§ 25a".
    return r"\s+".join(parts)


@lru_cache(maxsize=16)
def _compiled(forms: tuple[tuple[str, tuple[str, ...]], ...]) -> _Pattern:
    """The pattern of one state of the glossary. Keyed by the terms' forms themselves rather
    than by a timestamp: as cheap to compare, and never stale after two edits in one tick."""
    slugs: dict[str, str] = {}
    for slug, term_forms in forms:
        for form in term_forms:
            slugs.setdefault(_lookup_key(form), slug)
    if not slugs:
        return _Pattern(None, {})
    # The longest form first: "Kommunales Integrationszentrum" wins over a shorter form that
    # starts at the same place. Whole words only: a form inside a compound ("Bausteinkasten")
    # is not the term; a hyphen ("KIM-Koordinierung") ends a word.
    alternatives = sorted({f for _s, fs in forms for f in fs}, key=lambda f: (-len(f), f))
    body = "|".join(_form_regex(form) for form in alternatives)
    return _Pattern(re.compile(rf"(?<!\w)(?:{body})(?!\w)"), slugs, len(set(slugs.values())))


@dataclass(frozen=True)
class Glossary:
    """The whole glossary in one reader's language, A–Z."""

    language: str
    entries: tuple[GlossaryEntry, ...]

    def __post_init__(self):
        by_slug = {entry.slug: entry for entry in self.entries}
        markable = tuple(sorted((e.slug, e.forms) for e in self.entries if e.explanation))
        object.__setattr__(self, "_by_slug", by_slug)
        object.__setattr__(self, "_pattern", _compiled(markable))

    def __bool__(self) -> bool:
        return bool(self.entries)

    def by_letter(self) -> list[tuple[str, list[GlossaryEntry]]]:
        groups: dict[str, list[GlossaryEntry]] = {}
        for entry in self.entries:
            groups.setdefault(entry.letter, []).append(entry)
        return list(groups.items())

    def mark(self, text: str, seen: set[str], render: Render) -> Markup:
        """`text` HTML-escaped, with the first occurrence of each term not in `seen` rendered
        by `render(entry, found_text)`. `seen` collects the slugs marked, so that a caller
        marking the lines of one paragraph marks each term once in it."""
        pattern = self._pattern
        if pattern.regex is None or len(seen) >= pattern.terms:
            return escape(text)
        pieces = []
        position = 0
        for found in pattern.regex.finditer(text):
            slug = pattern.slugs[_lookup_key(found.group())]
            if slug in seen:
                continue
            seen.add(slug)
            pieces.append(escape(text[position : found.start()]))
            pieces.append(render(self._by_slug[slug], found.group()))
            position = found.end()
        if not pieces:
            return escape(text)
        pieces.append(escape(text[position:]))
        return Markup("").join(pieces)


def glossary(language: str) -> Glossary:
    """Every term with its explanation in `language`, or in German where that is missing: one
    query."""
    wanted = {language, SOURCE_LANGUAGE}
    rows = db.session.execute(
        select(
            GlossaryTerm.id,
            GlossaryTerm.term,
            GlossaryTerm.slug,
            GlossaryTerm.variants,
            GlossaryExplanation.language,
            GlossaryExplanation.name,
            GlossaryExplanation.explanation,
        ).outerjoin(
            GlossaryExplanation,
            and_(
                GlossaryExplanation.term_id == GlossaryTerm.id,
                GlossaryExplanation.language.in_(wanted),
            ),
        )
    ).all()
    terms: dict[int, tuple] = {}
    texts: dict[int, dict[str, tuple[str, str]]] = {}
    for term_id, term, slug, variants, text_language, name, explanation in rows:
        terms[term_id] = (term, slug, variants)
        if text_language is not None:
            texts.setdefault(term_id, {})[text_language] = (name, explanation)
    entries = []
    for term_id, (term, slug, variants) in terms.items():
        available = texts.get(term_id, {})
        shown = language if language in available else SOURCE_LANGUAGE
        name, explanation = available.get(shown, ("", ""))
        entries.append(
            GlossaryEntry(
                term=term,
                slug=slug,
                forms=(term, *variants_from_text(variants)),
                name=name or (term if shown == SOURCE_LANGUAGE else ""),
                explanation=explanation,
                language=shown,
                requested=language,
            )
        )
    entries.sort(key=lambda entry: sort_key(entry.term))
    return Glossary(language, tuple(entries))
