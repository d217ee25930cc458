"""Assignments keep no submission date.

Beside the responses' dates, the day an assignment was marked submitted would tell a unit's
observers apart when they submitted on different days (see tests/observe/test_anonymity_proof).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('assignment', schema=None) as batch_op:
        batch_op.drop_column('status_on')


def downgrade() -> None:
    with op.batch_alter_table('assignment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status_on', sa.DATE(), nullable=True))
