"""Walking skeleton: the draft (consultation, section, paragraph), comments, staff,
append-only moderation decisions and the audit trail.

Revision ID: ed4685124ae0
Revises: 
Created: 2026-11-24 23:31:30.286080
"""

import sqlalchemy as sa
from alembic import op

revision = 'ed4685124ae0'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('consultation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('organiser', sa.String(length=200), nullable=False),
    sa.Column('contact', sa.String(length=300), nullable=False),
    sa.Column('phase', sa.Enum('draft', 'preview', 'open', 'evaluation', 'results', name='phase', native_enum=False, length=32), nullable=False),
    sa.Column('opens_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closes_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('is_sample', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultation')),
    sa.UniqueConstraint('slug', name=op.f('uq_consultation_slug'))
    )
    op.create_table('staff_user',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('display_name', sa.String(length=120), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('role', sa.Enum('admin', 'moderator', name='role', native_enum=False, length=32), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('session_token', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_user')),
    sa.UniqueConstraint('email', name=op.f('uq_staff_user_email')),
    sa.UniqueConstraint('session_token', name=op.f('uq_staff_user_session_token'))
    )
    op.create_table('audit_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('subject_type', sa.String(length=64), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=True),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['staff_user.id'], name=op.f('fk_audit_event_actor_id_staff_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_event'))
    )
    op.create_index(op.f('ix_audit_event_actor_id'), 'audit_event', ['actor_id'])
    op.create_index(op.f('ix_audit_event_created_at'), 'audit_event', ['created_at'])

    op.create_table('section',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultation.id'], name=op.f('fk_section_consultation_id_consultation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_section')),
    sa.UniqueConstraint('consultation_id', 'number', name=op.f('uq_section_consultation_id_number'))
    )
    op.create_index(op.f('ix_section_consultation_id'), 'section', ['consultation_id'])

    op.create_table('paragraph',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('section_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('published_comment_count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultation.id'], name=op.f('fk_paragraph_consultation_id_consultation')),
    sa.ForeignKeyConstraint(['section_id'], ['section.id'], name=op.f('fk_paragraph_section_id_section')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_paragraph')),
    sa.UniqueConstraint('consultation_id', 'number', name=op.f('uq_paragraph_consultation_id_number'))
    )
    op.create_index(op.f('ix_paragraph_consultation_id'), 'paragraph', ['consultation_id'])
    op.create_index(op.f('ix_paragraph_section_id'), 'paragraph', ['section_id'])

    op.create_table('comment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('paragraph_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('pseudonym', sa.String(length=60), nullable=True),
    sa.Column('group', sa.Enum('welfare_association', 'independent_provider', 'migrant_organisation', 'integration_council', 'volunteer_initiative', 'public_authority', 'individual', name='stakeholdergroup', native_enum=False, length=32), nullable=False),
    sa.Column('kind', sa.Enum('support', 'objection', 'suggestion', 'question', 'note', name='commentkind', native_enum=False, length=32), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('status', sa.Enum('pending', 'approved', 'rejected', name='commentstatus', native_enum=False, length=32), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('consent_notice_version', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['paragraph_id'], ['paragraph.id'], name=op.f('fk_comment_paragraph_id_paragraph')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_comment'))
    )
    op.create_index('ix_comment_paragraph_status_created', 'comment', ['paragraph_id', 'status', 'created_at'])
    op.create_index('ix_comment_status_created', 'comment', ['status', 'created_at'])

    op.create_table('moderation_decision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('comment_id', sa.Integer(), nullable=False),
    sa.Column('moderator_id', sa.Integer(), nullable=False),
    sa.Column('decision', sa.Enum('approve', 'reject', name='decision', native_enum=False, length=32), nullable=False),
    sa.Column('reason', sa.Enum('insult_discrimination', 'personal_data', 'spam', 'off_topic', 'duplicate', 'illegal', name='rejectionreason', native_enum=False, length=32), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['comment_id'], ['comment.id'], name=op.f('fk_moderation_decision_comment_id_comment')),
    sa.ForeignKeyConstraint(['moderator_id'], ['staff_user.id'], name=op.f('fk_moderation_decision_moderator_id_staff_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_moderation_decision'))
    )
    op.create_index(op.f('ix_moderation_decision_comment_id'), 'moderation_decision', ['comment_id'])
    op.create_index(op.f('ix_moderation_decision_moderator_id'), 'moderation_decision', ['moderator_id'])



def downgrade():
    op.drop_index(op.f('ix_moderation_decision_moderator_id'), table_name='moderation_decision')
    op.drop_index(op.f('ix_moderation_decision_comment_id'), table_name='moderation_decision')

    op.drop_table('moderation_decision')
    op.drop_index('ix_comment_status_created', table_name='comment')
    op.drop_index('ix_comment_paragraph_status_created', table_name='comment')

    op.drop_table('comment')
    op.drop_index(op.f('ix_paragraph_section_id'), table_name='paragraph')
    op.drop_index(op.f('ix_paragraph_consultation_id'), table_name='paragraph')

    op.drop_table('paragraph')
    op.drop_index(op.f('ix_section_consultation_id'), table_name='section')

    op.drop_table('section')
    op.drop_index(op.f('ix_audit_event_created_at'), table_name='audit_event')
    op.drop_index(op.f('ix_audit_event_actor_id'), table_name='audit_event')

    op.drop_table('audit_event')
    op.drop_table('staff_user')
    op.drop_table('consultation')
