"""Every page of the app as a recipe on one seeded world.

`build_world()` seeds a consultation in each phase (chapters, paragraphs, published, waiting
and rejected comments, replies, an organisation's statement, answers, a revised draft, published
results, reading aids: translations, Kurz erklärt, Leichte Sprache, a glossary term), an
organisation with a member, staff of each role and open invitations. `PAGES` says,
for every GET rule of `app.url_map`, how to build an address on that world and who must be
signed in to see it; `EXCLUDED` names the rules that serve no page, with the reason.
tests/integration/test_page_catalogue.py fails when a GET rule is in neither, so a page added
later gets a recipe, and with it the browser tests (axe in de and ar, the seven-language smoke
pass, reflow and text size, no JavaScript) without further work.

Used by the browser tests (on the live server) and by integration tests (on the test client)."""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from consult.extensions import db
from consult.models import (
    CommentKind,
    CommentStatus,
    Decision,
    ParagraphTranslation,
    Phase,
    RejectionReason,
    Role,
    SectionTranslation,
    StakeholderGroup,
)
from consult.models.translation import source_digest
from consult.models.types import utcnow
from consult.services import glossary, moderation, organisations, publication, revisions, staff
from consult.services.numbering import assign_references
from consult.services.participants import member_participant
from tests.factories import (
    make_answer,
    make_comment,
    make_consultation,
    make_member,
    make_organisation,
    make_paragraph,
    make_participant,
    make_section,
    make_staff,
)

# Who must be signed in for a page.
READER, MODERATOR, ADMIN, MEMBER = "reader", "moderator", "admin", "member"


@dataclass(frozen=True)
class World:
    """Plain values only: the live server reads the rows in its own session."""

    open_slug: str
    open_id: int
    preview_slug: str
    evaluation_slug: str
    evaluation_id: int
    results_slug: str
    results_id: int
    draft_id: int
    draft_paragraph_id: int
    published_id: int  # on 1.1 of the open consultation, by the participant
    pending_id: int  # on 1.2, by the participant
    rejected_id: int  # by the participant
    statement_id: int  # the organisation's, on 1.1
    member_pending_id: int  # the member's own, waiting
    member_published_id: int
    participant_token: str
    organisation_slug: str
    member_invitation_token: str
    staff_invitation_token: str
    moderator_id: int
    sessions: dict = field(default_factory=dict)  # READER/MODERATOR/... -> session id
    second_factor_session: str = ""
    glossary_term_id: int = 0

    def session_for(self, who: str) -> dict:
        return {} if who == READER else signed_in(self.sessions[who])


def signed_in(session_id: str) -> dict:
    """The session of an account signed in just now (what Flask-Login and sign_in.py keep),
    without the cost of checking a password."""
    return {"_user_id": session_id, "_fresh": True, "signed_in_at": int(utcnow().timestamp())}


def build_world() -> World:
    """Seed the world in db.session (flushed, not committed)."""
    now = utcnow()
    admin = make_staff(Role.ADMIN, email="catalogue-admin@kreis.example", display_name="Verwaltung")
    moderator = make_staff(
        Role.MODERATOR, email="catalogue-mod@kreis.example", display_name="Moderatorin Kaya"
    )
    second_factor = make_staff(
        Role.MODERATOR, email="catalogue-2fa@kreis.example", totp_secret="JBSWY3DPEHPK3PXP"
    )
    organisation = make_organisation(name="Migrationsberatung Siegerland e. V.")
    member = make_member(organisation, display_name="Selin Arslan")
    participant, token = make_participant()

    # Open for comments, with every kind of comment.
    opened = make_consultation(
        title="Integrationskonzept des Kreises 2027",
        summary="Der Kreis schreibt sein Integrationskonzept fort.",
        organiser="Kommunales Integrationszentrum",
        is_sample=True,
        easy_read="Der Kreis will das Zusammenleben verbessern.\nSie können dazu etwas sagen.",
    )
    language = make_section(
        opened,
        1,
        title="Sprache und Bildung",
        plain_summary="Es geht um Sprachkurse und um Betreuung für Kinder.",
    )
    courses = make_paragraph(
        language, 1, title="Sprachkurse", text="Sprachkurse werden im ganzen Kreis angeboten."
    )
    childcare = make_paragraph(language, 2, title="Kinderbetreuung", text="Kurse mit Betreuung.")
    work = make_section(opened, 2, title="Arbeit")
    make_paragraph(work, 1, title="Anerkennung", text="Abschlüsse werden schneller anerkannt.")
    published = make_comment(
        courses,
        status=CommentStatus.APPROVED,
        participant_id=participant.id,
        pseudonym="Lotsin aus Laasphe",
        text="Abendkurse wären für Berufstätige wichtig.",
    )
    statement = make_comment(
        courses,
        status=CommentStatus.APPROVED,
        organisation_id=organisation.id,
        group=organisation.group,
        kind=CommentKind.SUGGESTION,
        proposed_text="Sprachkurse werden im ganzen Kreis auch abends angeboten.",
        text="Bitte auch abends.",
    )
    make_comment(
        parent=published,
        status=CommentStatus.APPROVED,
        group=StakeholderGroup.PUBLIC_AUTHORITY,
        staff_author_id=admin.id,
        text="Danke, wir prüfen das.",
    )
    make_comment(
        childcare, status=CommentStatus.APPROVED, language="ar", text="نحتاج إلى رعاية الأطفال."
    )
    make_comment(section=language, status=CommentStatus.APPROVED, kind=CommentKind.NOTE)
    make_comment(consultation=opened, status=CommentStatus.APPROVED, kind=CommentKind.QUESTION)
    pending = make_comment(
        childcare, participant_id=participant.id, text="Gibt es Kurse mit Kinderbetreuung?"
    )
    rejected = make_comment(childcare, participant_id=participant.id, text="Werbung für Kurse.")
    moderation.decide(
        rejected.id,
        moderator=moderator,
        decision=Decision.REJECT,
        reason=RejectionReason.SPAM,
        note="Bitte ohne Werbung.",
        now=now,
    )
    member_own = member_participant(member, language="de", now=now)
    member_pending = make_comment(courses, participant_id=member_own.id, text="Noch in Prüfung.")
    member_published = make_comment(
        childcare,
        status=CommentStatus.APPROVED,
        participant_id=member_own.id,
        organisation_id=organisation.id,
        group=organisation.group,
        text="Unsere Stellungnahme.",
    )

    preview = make_consultation(
        phase=Phase.PREVIEW, title="Konzept in der Vorschau", opens_at=now + timedelta(days=3)
    )
    make_paragraph(make_section(preview, 1, title="Einleitung"), 1)

    draft = make_consultation(phase=Phase.DRAFT, title="Entwurf in Arbeit")
    draft_chapter = make_section(draft, 1, title="Ausgangslage")
    draft_paragraph = make_paragraph(draft_chapter, 1, title="Anlass")
    make_paragraph(draft_chapter, 2, title="Ziele")

    evaluation = _answered_consultation(admin, organisation, Phase.EVALUATION)
    results = _answered_consultation(admin, organisation, Phase.RESULTS)

    member_invitation = organisations.invite_member(
        organisation, "neu@verband.example", actor=admin, now=now, valid_days=7
    )[1]
    staff_invitation = staff.invite_staff(
        "neu@kreis.example",
        display_name="Neue Kollegin",
        role=Role.MODERATOR,
        actor=admin,
        now=now,
        valid_days=7,
    ).token
    # Translations of 1.1 and of chapter 1, as help beside the binding German text.
    for code, title, text in [
        ("en", "Language courses", "Language courses are offered across the county."),
        ("ar", "دورات اللغة", "تقدم دورات اللغة في جميع أنحاء المقاطعة."),
    ]:
        db.session.add(
            ParagraphTranslation(
                consultation_id=opened.id,
                paragraph_id=courses.id,
                language=code,
                title=title,
                text=text,
                source_digest=source_digest(courses.title, courses.text),
            )
        )
    db.session.add(
        SectionTranslation(
            consultation_id=opened.id,
            section_id=language.id,
            language="en",
            title="Language and education",
            plain_summary="Language courses and childcare.",
            source_digest=source_digest(language.title, language.plain_summary),
        )
    )
    # A glossary term that occurs in the open draft, so its pages show a marked term.
    glossary_term = glossary.create_term(
        glossary.TermDetails(
            "Sprachkurs",
            ["Sprachkurse"],
            {
                "de": glossary.ExplanationText("", "Ein Kurs, in dem man Deutsch lernt."),
                "en": glossary.ExplanationText("language course", "A course to learn German."),
            },
        ),
        languages=("de", "en"),
        actor=admin,
        now=now,
    )
    db.session.flush()
    return World(
        open_slug=opened.slug,
        open_id=opened.id,
        preview_slug=preview.slug,
        evaluation_slug=evaluation.slug,
        evaluation_id=evaluation.id,
        results_slug=results.slug,
        results_id=results.id,
        draft_id=draft.id,
        draft_paragraph_id=draft_paragraph.id,
        published_id=published.id,
        pending_id=pending.id,
        rejected_id=rejected.id,
        statement_id=statement.id,
        member_pending_id=member_pending.id,
        member_published_id=member_published.id,
        participant_token=token,
        organisation_slug=organisation.slug,
        member_invitation_token=member_invitation,
        staff_invitation_token=staff_invitation,
        moderator_id=moderator.id,
        sessions={ADMIN: admin.get_id(), MODERATOR: moderator.get_id(), MEMBER: member.get_id()},
        second_factor_session=second_factor.get_id(),
        glossary_term_id=glossary_term.id,
    )


def _answered_consultation(admin, organisation, phase: Phase):
    """Closed, every comment numbered and answered, the draft revised; with phase RESULTS the
    results are published."""
    now = utcnow()
    consultation = make_consultation(
        phase=Phase.EVALUATION,
        title=f"Konzept ({phase.value})",
        opens_at=now - timedelta(days=60),
        closes_at=now - timedelta(days=2),
    )
    language = make_section(consultation, 1, title="Sprache", results_summary="Mehr Abendkurse.")
    courses = make_paragraph(language, 1, title="Sprachkurse", text="Kurse am Vormittag.")
    make_paragraph(language, 2, title="Beratung", text="Beratung in den Rathäusern.")
    make_paragraph(make_section(consultation, 2, title="Arbeit"), 1, title="Anerkennung")
    statement = make_comment(
        courses,
        status=CommentStatus.APPROVED,
        organisation_id=organisation.id,
        group=organisation.group,
        kind=CommentKind.SUGGESTION,
        text="Kurse auch abends anbieten.",
    )
    individual = make_comment(
        courses, status=CommentStatus.APPROVED, language="ar", text="دورات مسائية من فضلك."
    )
    whole = make_comment(consultation=consultation, status=CommentStatus.APPROVED)
    assign_references(consultation.id)
    make_answer(statement, change_text="Absatz 1.1 nennt Abendkurse.")
    make_answer(individual, whole)
    revisions.start_revision(consultation, actor=admin, now=now)
    revisions.revise_paragraph(
        courses, title="Sprachkurse", text="Kurse am Vormittag und am Abend.", actor=admin, now=now
    )
    if phase is Phase.RESULTS:
        publication.publish_results(consultation, actor=admin, now=now)
    return consultation


@dataclass(frozen=True)
class Page:
    name: str
    # The url_map rule it covers, normalised (see `normalised`); None for a page no endpoint
    # serves (the error page).
    rule: str | None
    path: Callable[[World], str]  # after the language prefix
    who: str = READER
    # More of the session than the sign-in: a report already made, a code awaited.
    state: Callable[[World], dict] | None = None
    status: int = 200
    # The site's header (skip link, language switcher) and footer; the report has its own.
    site_chrome: bool = True

    def session(self, world: World) -> dict:
        data = world.session_for(self.who)
        if self.state:
            data.update(self.state(world))
        return data


def normalised(rule: str) -> str:
    """The rule without its converters: '/<lang:lang>/c/<slug>/chapter/<int(max=9):chapter>'
    becomes '/<lang>/c/<slug>/chapter/<chapter>'."""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"<\1>", rule)


def _reported(world: World) -> dict:
    return {"reported_comments": [world.published_id]}


def _feedback_sent(world: World) -> dict:
    return {"accessibility_feedback_sent": "reply"}


def _awaiting_code(world: World) -> dict:
    return {
        "pending_second_factor": {
            "account": world.second_factor_session,
            "since": int(utcnow().timestamp()),
        }
    }


C = "/<lang>/c/<slug>"
ADMIN_C = "/<lang>/admin/consultations/<consultation_id>"

PAGES: list[Page] = [
    # Reading
    Page("start page", "/<lang>/", lambda w: "/"),
    Page("privacy notice", "/<lang>/privacy", lambda w: "/privacy"),
    Page("glossary", "/<lang>/glossary", lambda w: "/glossary"),
    Page("accessibility statement", "/<lang>/accessibility", lambda w: "/accessibility"),
    Page(
        "accessibility feedback form",
        "/<lang>/accessibility/feedback",
        lambda w: "/accessibility/feedback",
    ),
    Page(
        "accessibility feedback sent",
        "/<lang>/accessibility/feedback/sent",
        lambda w: "/accessibility/feedback/sent",
        state=_feedback_sent,
    ),
    Page("Leichte Sprache", "/<lang>/leichte-sprache", lambda w: "/leichte-sprache"),
    Page(
        "Leichte Sprache of a consultation",
        f"{C}/leichte-sprache",
        lambda w: f"/c/{w.open_slug}/leichte-sprache",
    ),
    Page("draft, open", f"{C}/", lambda w: f"/c/{w.open_slug}/"),
    Page("draft, preview", f"{C}/", lambda w: f"/c/{w.preview_slug}/"),
    Page("draft, evaluation", f"{C}/", lambda w: f"/c/{w.evaluation_slug}/"),
    Page("draft, results", f"{C}/", lambda w: f"/c/{w.results_slug}/"),
    Page("thread of a paragraph", f"{C}/p/<number>", lambda w: f"/c/{w.open_slug}/p/1.1"),
    Page("thread of a chapter", f"{C}/chapter/<chapter>", lambda w: f"/c/{w.open_slug}/chapter/1"),
    Page("thread of the draft", f"{C}/comments", lambda w: f"/c/{w.open_slug}/comments"),
    Page(
        "one comment",
        f"{C}/comments/<comment_id>",
        lambda w: f"/c/{w.open_slug}/comments/{w.statement_id}",
    ),
    Page(
        "moderation rules and figures", f"{C}/moderation", lambda w: f"/c/{w.open_slug}/moderation"
    ),
    Page(
        "participating organisations",
        f"{C}/organisations",
        lambda w: f"/c/{w.open_slug}/organisations",
    ),
    Page("results", f"{C}/results", lambda w: f"/c/{w.results_slug}/results"),
    Page(
        "results of a chapter",
        f"{C}/results/chapter/<number>",
        lambda w: f"/c/{w.results_slug}/results/chapter/1",
    ),
    Page(
        "results on the whole draft",
        f"{C}/results/draft",
        lambda w: f"/c/{w.results_slug}/results/draft",
    ),
    Page("Synopse", f"{C}/synopsis", lambda w: f"/c/{w.results_slug}/synopsis"),
    # Writing
    Page(
        "comment form, paragraph",
        f"{C}/p/<number>/comment",
        lambda w: f"/c/{w.open_slug}/p/1.1/comment",
    ),
    Page(
        "comment form, chapter",
        f"{C}/chapter/<chapter>/comment",
        lambda w: f"/c/{w.open_slug}/chapter/1/comment",
    ),
    Page("comment form, draft", f"{C}/comment", lambda w: f"/c/{w.open_slug}/comment"),
    Page(
        "comment form, closed",
        f"{C}/p/<number>/comment",
        lambda w: f"/c/{w.evaluation_slug}/p/1.1/comment",
        status=403,
    ),
    Page(
        "comment sent, paragraph",
        f"{C}/p/<number>/comment/thanks",
        lambda w: f"/c/{w.open_slug}/p/1.1/comment/thanks",
    ),
    Page(
        "comment sent, chapter",
        f"{C}/chapter/<chapter>/comment/thanks",
        lambda w: f"/c/{w.open_slug}/chapter/1/comment/thanks",
    ),
    Page(
        "comment sent, draft",
        f"{C}/comment/thanks",
        lambda w: f"/c/{w.open_slug}/comment/thanks",
    ),
    Page(
        "reply form",
        f"{C}/comments/<comment_id>/reply",
        lambda w: f"/c/{w.open_slug}/comments/{w.published_id}/reply",
    ),
    Page(
        "report form",
        f"{C}/comments/<comment_id>/flag",
        lambda w: f"/c/{w.open_slug}/comments/{w.statement_id}/flag",
    ),
    Page(
        "report sent",
        f"{C}/comments/<comment_id>/flag/thanks",
        lambda w: f"/c/{w.open_slug}/comments/{w.published_id}/flag/thanks",
        state=_reported,
    ),
    # A participant's private link and a member's contributions
    Page("private link", "/<lang>/my/<token>", lambda w: f"/my/{w.participant_token}"),
    Page(
        "private link, edit",
        "/<lang>/my/<token>/<comment_id>/edit",
        lambda w: f"/my/{w.participant_token}/{w.pending_id}/edit",
    ),
    Page(
        "private link, withdraw",
        "/<lang>/my/<token>/<comment_id>/withdraw",
        lambda w: f"/my/{w.participant_token}/{w.published_id}/withdraw",
    ),
    Page(
        "member's contributions",
        "/<lang>/account/contributions",
        lambda w: "/account/contributions",
        who=MEMBER,
    ),
    Page(
        "member's contributions, edit",
        "/<lang>/account/contributions/<comment_id>/edit",
        lambda w: f"/account/contributions/{w.member_pending_id}/edit",
        who=MEMBER,
    ),
    Page(
        "member's contributions, withdraw",
        "/<lang>/account/contributions/<comment_id>/withdraw",
        lambda w: f"/account/contributions/{w.member_published_id}/withdraw",
        who=MEMBER,
    ),
    # Organisations' members
    Page("member sign-in", "/<lang>/members/login", lambda w: "/members/login"),
    Page(
        "member invitation",
        "/<lang>/members/join/<token>",
        lambda w: f"/members/join/{w.member_invitation_token}",
    ),
    Page("member's account", "/<lang>/members/account", lambda w: "/members/account", who=MEMBER),
    # Staff
    Page("staff sign-in", "/<lang>/staff/login", lambda w: "/staff/login"),
    Page(
        "staff sign-in, code",
        "/<lang>/staff/login/code",
        lambda w: "/staff/login/code",
        state=_awaiting_code,
    ),
    Page(
        "staff invitation",
        "/<lang>/staff/join/<token>",
        lambda w: f"/staff/join/{w.staff_invitation_token}",
    ),
    Page("staff account", "/<lang>/staff/account", lambda w: "/staff/account", who=ADMIN),
    Page(
        "second factor set-up",
        "/<lang>/staff/account/second-factor",
        lambda w: "/staff/account/second-factor",
        who=ADMIN,
    ),
    Page("moderation queue", "/<lang>/moderation/", lambda w: "/moderation/", who=MODERATOR),
    # Administration
    Page(
        "consultations",
        "/<lang>/admin/consultations/",
        lambda w: "/admin/consultations/",
        who=ADMIN,
    ),
    Page(
        "new consultation",
        "/<lang>/admin/consultations/new",
        lambda w: "/admin/consultations/new",
        who=ADMIN,
    ),
    Page(
        "consultation dashboard, open",
        f"{ADMIN_C}/",
        lambda w: f"/admin/consultations/{w.open_id}/",
        who=ADMIN,
    ),
    Page(
        "consultation dashboard, draft",
        f"{ADMIN_C}/",
        lambda w: f"/admin/consultations/{w.draft_id}/",
        who=ADMIN,
    ),
    Page(
        "consultation dashboard, results",
        f"{ADMIN_C}/",
        lambda w: f"/admin/consultations/{w.results_id}/",
        who=ADMIN,
    ),
    Page(
        "consultation details",
        f"{ADMIN_C}/edit",
        lambda w: f"/admin/consultations/{w.draft_id}/edit",
        who=ADMIN,
    ),
    Page(
        "draft import",
        f"{ADMIN_C}/import",
        lambda w: f"/admin/consultations/{w.draft_id}/import",
        who=ADMIN,
    ),
    Page(
        "structure editor",
        f"{ADMIN_C}/structure",
        lambda w: f"/admin/consultations/{w.draft_id}/structure",
        who=ADMIN,
    ),
    Page(
        "paragraph editor",
        f"{ADMIN_C}/structure/paragraphs/<paragraph_id>/edit",
        lambda w: (
            f"/admin/consultations/{w.draft_id}/structure/paragraphs/{w.draft_paragraph_id}/edit"
        ),
        who=ADMIN,
    ),
    Page(
        "answers workspace",
        f"{ADMIN_C}/answers",
        lambda w: f"/admin/consultations/{w.evaluation_id}/answers",
        who=ADMIN,
    ),
    Page(
        "revised draft",
        f"{ADMIN_C}/revision",
        lambda w: f"/admin/consultations/{w.evaluation_id}/revision",
        who=ADMIN,
    ),
    Page(
        "publishing the results",
        f"{ADMIN_C}/publish-results",
        lambda w: f"/admin/consultations/{w.evaluation_id}/publish-results",
        who=ADMIN,
    ),
    Page(
        "Synopse before publication",
        f"{C}/synopsis",
        lambda w: f"/c/{w.evaluation_slug}/synopsis",
        who=ADMIN,
    ),
    Page(
        "exports",
        f"{ADMIN_C}/exports",
        lambda w: f"/admin/consultations/{w.evaluation_id}/exports",
        who=ADMIN,
    ),
    Page(
        "report in the browser",
        f"{ADMIN_C}/report.<file_format>",
        lambda w: f"/admin/consultations/{w.evaluation_id}/report.html",
        who=ADMIN,
        site_chrome=False,
    ),
    Page(
        "reading aids",
        f"{ADMIN_C}/reading-aids",
        lambda w: f"/admin/consultations/{w.open_id}/reading-aids",
        who=ADMIN,
    ),
    Page(
        "reading aids of a chapter",
        f"{ADMIN_C}/reading-aids/<language>/chapter/<number>",
        lambda w: f"/admin/consultations/{w.open_id}/reading-aids/en/chapter/1",
        who=ADMIN,
    ),
    Page(
        "organisations",
        "/<lang>/admin/organisations/",
        lambda w: "/admin/organisations/",
        who=ADMIN,
    ),
    Page(
        "organisation",
        "/<lang>/admin/organisations/<slug>",
        lambda w: f"/admin/organisations/{w.organisation_slug}",
        who=ADMIN,
    ),
    Page("staff accounts", "/<lang>/admin/staff/", lambda w: "/admin/staff/", who=ADMIN),
    Page(
        "staff member",
        "/<lang>/admin/staff/<user_id>",
        lambda w: f"/admin/staff/{w.moderator_id}",
        who=ADMIN,
    ),
    Page("audit log", "/<lang>/admin/audit/", lambda w: "/admin/audit/", who=ADMIN),
    Page(
        "glossary administration",
        "/<lang>/admin/glossary/",
        lambda w: "/admin/glossary/",
        who=ADMIN,
    ),
    Page(
        "new glossary term",
        "/<lang>/admin/glossary/new",
        lambda w: "/admin/glossary/new",
        who=ADMIN,
    ),
    Page(
        "glossary term editor",
        "/<lang>/admin/glossary/<term_id>/edit",
        lambda w: f"/admin/glossary/{w.glossary_term_id}/edit",
        who=ADMIN,
    ),
    Page(
        "deleting a glossary term",
        "/<lang>/admin/glossary/<term_id>/delete",
        lambda w: f"/admin/glossary/{w.glossary_term_id}/delete",
        who=ADMIN,
    ),
    # Served by the error handler, not by an endpoint.
    Page("page not found", None, lambda w: "/c/no-such-consultation/", status=404),
]

# GET rules that serve no page of their own, and why.
EXCLUDED: dict[str, str] = {
    "/static/<filename>": "static files (CSS, JavaScript, fonts)",
    "/": "redirects to the start page in the language Accept-Language picks",
    "/<lang>/admin/audit/export.csv": "CSV download of the audit log",
    "/<lang>/my/<token>/export.json": "JSON download of a participant's data",
    "/<lang>/account/contributions/export.json": "JSON download of a member's data",
    f"{ADMIN_C}/exports/abwaegungstabelle.<file_format>": "Abwägungstabelle downloads "
    "(XLSX, DOCX, CSV, JSON)",
}
