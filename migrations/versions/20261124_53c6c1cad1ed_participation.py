"""Participation: organisations, members and invitations; participants with a private link;
comments on chapters and the whole draft, replies, proposed wording, withdrawal.

Revision ID: 53c6c1cad1ed
Revises: ed4685124ae0
Created: 2026-11-24 23:58:50.268780
"""

import sqlalchemy as sa
from alembic import op

revision = '53c6c1cad1ed'
down_revision = 'ed4685124ae0'
branch_labels = None
depends_on = None

GROUPS = ('welfare_association', 'independent_provider', 'migrant_organisation',
          'integration_council', 'volunteer_initiative', 'public_authority', 'individual')


def upgrade():
    op.create_table('organisation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('group', sa.Enum(*GROUPS, name='stakeholdergroup', native_enum=False, length=32), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('verified', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisation')),
    sa.UniqueConstraint('slug', name=op.f('uq_organisation_slug'))
    )
    op.create_table('member',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('display_name', sa.String(length=120), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('session_token', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_member_organisation_id_organisation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_member')),
    sa.UniqueConstraint('email', name=op.f('uq_member_email')),
    sa.UniqueConstraint('session_token', name=op.f('uq_member_session_token'))
    )
    op.create_index(op.f('ix_member_organisation_id'), 'member', ['organisation_id'])

    op.create_table('invitation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('invited_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('member_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['invited_by_id'], ['staff_user.id'], name=op.f('fk_invitation_invited_by_id_staff_user')),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_invitation_member_id_member')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_invitation_organisation_id_organisation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invitation')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_invitation_token_hash'))
    )
    op.create_index(op.f('ix_invitation_organisation_id'), 'invitation', ['organisation_id'])

    op.create_table('participant',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=True),
    sa.Column('token_expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('member_id', sa.Integer(), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_participant_member_id_member')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_participant')),
    sa.UniqueConstraint('member_id', name=op.f('uq_participant_member_id')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_participant_token_hash'))
    )

    with op.batch_alter_table('consultation') as batch_op:
        batch_op.add_column(sa.Column('published_comment_count', sa.Integer(), nullable=False, server_default='0'))
    with op.batch_alter_table('section') as batch_op:
        batch_op.add_column(sa.Column('published_comment_count', sa.Integer(), nullable=False, server_default='0'))

    # consultation_id is filled from each existing comment's paragraph before it becomes NOT NULL.
    with op.batch_alter_table('comment') as batch_op:
        batch_op.add_column(sa.Column('consultation_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('section_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('parent_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('participant_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('organisation_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('staff_author_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('proposed_text', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('edited_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True))
    op.execute(
        "UPDATE comment SET "
        "consultation_id = (SELECT paragraph.consultation_id FROM paragraph WHERE paragraph.id = comment.paragraph_id), "
        "section_id = (SELECT paragraph.section_id FROM paragraph WHERE paragraph.id = comment.paragraph_id)"
    )
    with op.batch_alter_table('comment') as batch_op:
        batch_op.alter_column('consultation_id', existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column('paragraph_id', existing_type=sa.Integer(), nullable=True)
        batch_op.alter_column('kind', existing_type=sa.String(length=32), nullable=True)
        batch_op.create_foreign_key(batch_op.f('fk_comment_consultation_id_consultation'), 'consultation', ['consultation_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_comment_section_id_section'), 'section', ['section_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_comment_parent_id_comment'), 'comment', ['parent_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_comment_participant_id_participant'), 'participant', ['participant_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_comment_organisation_id_organisation'), 'organisation', ['organisation_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_comment_staff_author_id_staff_user'), 'staff_user', ['staff_author_id'], ['id'])
    op.create_index('ix_comment_consultation_status', 'comment', ['consultation_id', 'status'])
    op.create_index(op.f('ix_comment_section_id'), 'comment', ['section_id'])
    op.create_index(op.f('ix_comment_parent_id'), 'comment', ['parent_id'])
    op.create_index(op.f('ix_comment_participant_id'), 'comment', ['participant_id'])
    op.create_index(op.f('ix_comment_organisation_id'), 'comment', ['organisation_id'])


def downgrade():
    # Comments on chapters or on the whole draft have no paragraph to go back to.
    op.execute("DELETE FROM moderation_decision WHERE comment_id IN "
               "(SELECT id FROM comment WHERE paragraph_id IS NULL OR parent_id IS NOT NULL)")
    op.execute("DELETE FROM comment WHERE parent_id IS NOT NULL")
    op.execute("DELETE FROM comment WHERE paragraph_id IS NULL")
    op.execute("UPDATE comment SET status = 'rejected' WHERE status = 'withdrawn'")
    op.execute("UPDATE comment SET kind = 'note' WHERE kind IS NULL")
    for name in ('organisation_id', 'participant_id', 'parent_id', 'section_id'):
        op.drop_index(op.f(f'ix_comment_{name}'), table_name='comment')
    op.drop_index('ix_comment_consultation_status', table_name='comment')
    with op.batch_alter_table('comment') as batch_op:
        for target in ('staff_user', 'organisation', 'participant'):
            column = 'staff_author_id' if target == 'staff_user' else f'{target}_id'
            batch_op.drop_constraint(batch_op.f(f'fk_comment_{column}_{target}'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_comment_parent_id_comment'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_comment_section_id_section'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_comment_consultation_id_consultation'), type_='foreignkey')
        batch_op.alter_column('kind', existing_type=sa.String(length=32), nullable=False)
        batch_op.alter_column('paragraph_id', existing_type=sa.Integer(), nullable=False)
        for column in ('withdrawn_at', 'edited_at', 'proposed_text', 'staff_author_id',
                       'organisation_id', 'participant_id', 'parent_id', 'section_id',
                       'consultation_id'):
            batch_op.drop_column(column)
    with op.batch_alter_table('section') as batch_op:
        batch_op.drop_column('published_comment_count')
    with op.batch_alter_table('consultation') as batch_op:
        batch_op.drop_column('published_comment_count')
    op.drop_table('participant')
    op.drop_index(op.f('ix_invitation_organisation_id'), table_name='invitation')
    op.drop_table('invitation')
    op.drop_index(op.f('ix_member_organisation_id'), table_name='member')
    op.drop_table('member')
    op.drop_table('organisation')
