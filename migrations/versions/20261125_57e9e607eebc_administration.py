"""The administration's side: answers to comments (shared by similar comments), stable
reference numbers for the Abwägungstabelle, a revised version of the draft, results publication.

Revision ID: 57e9e607eebc
Revises: f9a1f3c0e06a
Created: 2026-11-25 02:45:40.823413
"""

import sqlalchemy as sa
from alembic import op

revision = '57e9e607eebc'
down_revision = 'f9a1f3c0e06a'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('answer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('recommendation', sa.Enum('adopted', 'partly_adopted', 'not_adopted', 'noted', name='recommendation', native_enum=False, length=32), nullable=True),
    sa.Column('change_text', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultation.id'], name=op.f('fk_answer_consultation_id_consultation')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['staff_user.id'], name=op.f('fk_answer_updated_by_id_staff_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_answer'))
    )
    with op.batch_alter_table('answer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_answer_consultation_id'), ['consultation_id'], unique=False)

    op.create_table('paragraph_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('paragraph_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['paragraph_id'], ['paragraph.id'], name=op.f('fk_paragraph_version_paragraph_id_paragraph')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_paragraph_version')),
    sa.UniqueConstraint('paragraph_id', 'version', name=op.f('uq_paragraph_version_paragraph_id_version'))
    )
    with op.batch_alter_table('paragraph_version', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_paragraph_version_paragraph_id'), ['paragraph_id'], unique=False)

    with op.batch_alter_table('comment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('answer_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('reference', sa.String(length=12), nullable=True))
        batch_op.create_index(batch_op.f('ix_comment_answer_id'), ['answer_id'], unique=False)
        batch_op.create_unique_constraint(batch_op.f('uq_comment_consultation_id_reference'), ['consultation_id', 'reference'])
        batch_op.create_foreign_key(batch_op.f('fk_comment_answer_id_answer'), 'answer', ['answer_id'], ['id'])

    with op.batch_alter_table('consultation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('easy_read', sa.Text(), nullable=False, server_default=sa.text("''")))
        batch_op.add_column(sa.Column('procedure_note', sa.Text(), nullable=False, server_default=sa.text("''")))
        batch_op.add_column(sa.Column('draft_version', sa.Integer(), nullable=False, server_default=sa.text("'1'")))
        batch_op.add_column(sa.Column('results_published_at', sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table('paragraph', schema=None) as batch_op:
        batch_op.add_column(sa.Column('added_in_version', sa.Integer(), nullable=False, server_default=sa.text("'1'")))
        batch_op.add_column(sa.Column('removed_in_version', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('consulted_title', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('consulted_text', sa.Text(), nullable=True))

    with op.batch_alter_table('section', schema=None) as batch_op:
        batch_op.add_column(sa.Column('results_summary', sa.Text(), nullable=False, server_default=sa.text("''")))

    op.create_table('results_notice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultation.id'], name=op.f('fk_results_notice_consultation_id_consultation')),
    sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], name=op.f('fk_results_notice_participant_id_participant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_results_notice')),
    sa.UniqueConstraint('consultation_id', 'participant_id', name=op.f('uq_results_notice_consultation_id_participant_id'))
    )
    with op.batch_alter_table('results_notice', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_results_notice_participant_id'), ['participant_id'], unique=False)



def downgrade():
    with op.batch_alter_table('results_notice', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_results_notice_participant_id'))

    op.drop_table('results_notice')
    with op.batch_alter_table('section', schema=None) as batch_op:
        batch_op.drop_column('results_summary')

    with op.batch_alter_table('paragraph', schema=None) as batch_op:
        batch_op.drop_column('consulted_text')
        batch_op.drop_column('consulted_title')
        batch_op.drop_column('removed_in_version')
        batch_op.drop_column('added_in_version')

    with op.batch_alter_table('consultation', schema=None) as batch_op:
        batch_op.drop_column('results_published_at')
        batch_op.drop_column('draft_version')
        batch_op.drop_column('procedure_note')
        batch_op.drop_column('easy_read')

    with op.batch_alter_table('comment', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_comment_answer_id_answer'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_comment_consultation_id_reference'), type_='unique')
        batch_op.drop_index(batch_op.f('ix_comment_answer_id'))
        batch_op.drop_column('reference')
        batch_op.drop_column('answer_id')

    with op.batch_alter_table('paragraph_version', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_paragraph_version_paragraph_id'))

    op.drop_table('paragraph_version')
    with op.batch_alter_table('answer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_answer_consultation_id'))

    op.drop_table('answer')
