"""Reading aids: translations of the draft per paragraph and chapter, a "Kurz erklärt" per
chapter, and the glossary of terms explained in plain words.

Revision ID: a52740702234
Revises: 57e9e607eebc
Created: 2026-11-25 04:58:52.930201
"""

import sqlalchemy as sa
from alembic import op

revision = 'a52740702234'
down_revision = '57e9e607eebc'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('glossary_term',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('term', sa.String(length=120), nullable=False),
    sa.Column('slug', sa.String(length=140), nullable=False),
    sa.Column('variants', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_glossary_term')),
    sa.UniqueConstraint('slug', name=op.f('uq_glossary_term_slug')),
    sa.UniqueConstraint('term', name=op.f('uq_glossary_term_term'))
    )
    op.create_table('glossary_explanation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('term_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('name', sa.String(length=160), nullable=False),
    sa.Column('explanation', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['term_id'], ['glossary_term.id'], name=op.f('fk_glossary_explanation_term_id_glossary_term'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_glossary_explanation')),
    sa.UniqueConstraint('term_id', 'language', name=op.f('uq_glossary_explanation_term_id_language'))
    )
    with op.batch_alter_table('glossary_explanation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_glossary_explanation_term_id'), ['term_id'], unique=False)

    op.create_table('section_translation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('section_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('plain_summary', sa.Text(), nullable=False),
    sa.Column('source_digest', sa.String(length=16), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultation.id'], name=op.f('fk_section_translation_consultation_id_consultation')),
    sa.ForeignKeyConstraint(['section_id'], ['section.id'], name=op.f('fk_section_translation_section_id_section'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_section_translation')),
    sa.UniqueConstraint('section_id', 'language', name=op.f('uq_section_translation_section_id_language'))
    )
    with op.batch_alter_table('section_translation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_section_translation_consultation_id'), ['consultation_id'], unique=False)

    op.create_table('paragraph_translation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('paragraph_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('source_digest', sa.String(length=16), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultation.id'], name=op.f('fk_paragraph_translation_consultation_id_consultation')),
    sa.ForeignKeyConstraint(['paragraph_id'], ['paragraph.id'], name=op.f('fk_paragraph_translation_paragraph_id_paragraph'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_paragraph_translation')),
    sa.UniqueConstraint('paragraph_id', 'language', name=op.f('uq_paragraph_translation_paragraph_id_language'))
    )
    with op.batch_alter_table('paragraph_translation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_paragraph_translation_consultation_id'), ['consultation_id'], unique=False)

    with op.batch_alter_table('section', schema=None) as batch_op:
        batch_op.add_column(sa.Column('plain_summary', sa.Text(), nullable=False, server_default=sa.text("''")))



def downgrade():
    with op.batch_alter_table('section', schema=None) as batch_op:
        batch_op.drop_column('plain_summary')

    with op.batch_alter_table('paragraph_translation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_paragraph_translation_consultation_id'))

    op.drop_table('paragraph_translation')
    with op.batch_alter_table('section_translation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_section_translation_consultation_id'))

    op.drop_table('section_translation')
    with op.batch_alter_table('glossary_explanation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_glossary_explanation_term_id'))

    op.drop_table('glossary_explanation')
    op.drop_table('glossary_term')
