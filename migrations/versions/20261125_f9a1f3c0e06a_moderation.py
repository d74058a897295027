"""Moderation a team can run: reader flags, redaction, duplicates, staff invitations,
moderators limited to consultations, an optional TOTP second factor.

Revision ID: f9a1f3c0e06a
Revises: 53c6c1cad1ed
Created: 2026-11-25 01:19:56.701744
"""

import sqlalchemy as sa
from alembic import op

revision = 'f9a1f3c0e06a'
down_revision = '53c6c1cad1ed'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('staff_consultation',
    sa.Column('staff_user_id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultation.id'], name=op.f('fk_staff_consultation_consultation_id_consultation')),
    sa.ForeignKeyConstraint(['staff_user_id'], ['staff_user.id'], name=op.f('fk_staff_consultation_staff_user_id_staff_user')),
    sa.PrimaryKeyConstraint('staff_user_id', 'consultation_id', name=op.f('pk_staff_consultation'))
    )
    with op.batch_alter_table('staff_consultation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_consultation_consultation_id'), ['consultation_id'], unique=False)

    op.create_table('staff_invitation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('staff_user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('invited_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['invited_by_id'], ['staff_user.id'], name=op.f('fk_staff_invitation_invited_by_id_staff_user')),
    sa.ForeignKeyConstraint(['staff_user_id'], ['staff_user.id'], name=op.f('fk_staff_invitation_staff_user_id_staff_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_invitation')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_staff_invitation_token_hash'))
    )
    with op.batch_alter_table('staff_invitation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_invitation_staff_user_id'), ['staff_user_id'], unique=False)

    op.create_table('flag',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('comment_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Enum('insult_discrimination', 'personal_data', 'spam', 'off_topic', 'duplicate', 'illegal', name='rejectionreason', native_enum=False, length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['comment_id'], ['comment.id'], name=op.f('fk_flag_comment_id_comment')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_flag'))
    )
    with op.batch_alter_table('flag', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_flag_comment_id'), ['comment_id'], unique=False)

    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_event_action'), ['action'], unique=False)

    with op.batch_alter_table('comment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('original_text', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('redacted_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('open_flag_count', sa.Integer(), nullable=False, server_default='0'))
        batch_op.create_index('ix_comment_open_flag_count', ['open_flag_count'], unique=False)

    with op.batch_alter_table('moderation_decision', schema=None) as batch_op:
        batch_op.add_column(sa.Column('redacted', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('duplicate_of_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('after_flags', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.create_foreign_key(batch_op.f('fk_moderation_decision_duplicate_of_id_comment'), 'comment', ['duplicate_of_id'], ['id'])

    with op.batch_alter_table('staff_user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('totp_secret', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('totp_last_counter', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('limited_to_consultations', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.alter_column('password_hash',
               existing_type=sa.VARCHAR(length=200),
               nullable=True)



def downgrade():
    # Accounts still waiting for their invitation get an unusable hash, and hidden comments
    # count as published again: the older schema knows neither.
    op.execute("UPDATE staff_user SET password_hash = '!' WHERE password_hash IS NULL")
    op.execute("DELETE FROM staff_consultation")
    op.execute("UPDATE comment SET status = 'approved' WHERE status = 'hidden'")
    # Hiding took comments out of the counters; count again what is published now.
    published = "c.status = 'approved' AND c.parent_id IS NULL"
    op.execute(
        "UPDATE paragraph SET published_comment_count = (SELECT count(*) FROM comment c "
        f"WHERE c.paragraph_id = paragraph.id AND {published})"
    )
    op.execute(
        "UPDATE section SET published_comment_count = (SELECT count(*) FROM comment c "
        f"WHERE c.section_id = section.id AND c.paragraph_id IS NULL AND {published})"
    )
    op.execute(
        "UPDATE consultation SET published_comment_count = (SELECT count(*) FROM comment c "
        f"WHERE c.consultation_id = consultation.id AND c.section_id IS NULL AND {published})"
    )
    # The older code would show the redaction mark as an unknown character.
    op.execute(
        sa.text("UPDATE comment SET text = replace(text, :mark, :marker)").bindparams(
            mark="\ue000", marker="[entfernt: personenbezogene Daten]"
        )
    )
    with op.batch_alter_table('staff_user', schema=None) as batch_op:
        batch_op.alter_column('password_hash',
               existing_type=sa.VARCHAR(length=200),
               nullable=False)
        batch_op.drop_column('limited_to_consultations')
        batch_op.drop_column('totp_last_counter')
        batch_op.drop_column('totp_secret')

    with op.batch_alter_table('moderation_decision', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_moderation_decision_duplicate_of_id_comment'), type_='foreignkey')
        batch_op.drop_column('after_flags')
        batch_op.drop_column('duplicate_of_id')
        batch_op.drop_column('redacted')

    with op.batch_alter_table('comment', schema=None) as batch_op:
        batch_op.drop_index('ix_comment_open_flag_count')
        batch_op.drop_column('open_flag_count')
        batch_op.drop_column('redacted_at')
        batch_op.drop_column('original_text')

    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_event_action'))

    with op.batch_alter_table('flag', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_flag_comment_id'))

    op.drop_table('flag')
    with op.batch_alter_table('staff_invitation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_invitation_staff_user_id'))

    op.drop_table('staff_invitation')
    with op.batch_alter_table('staff_consultation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_consultation_consultation_id'))

    op.drop_table('staff_consultation')
