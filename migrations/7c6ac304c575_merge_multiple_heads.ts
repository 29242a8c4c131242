/**
 * Merge multiple heads
 *
 * Revision ID: 7c6ac304c575
 * Revises: 2a6d94c6cc2b, 7b4f50a1e0e0
 *
 * A merge point, as made by `alembic merge -m "Merge multiple heads" 2a6d94c6cc2b 7b4f50a1e0e0`
 * (`sqlscribe merge` here): it only joins the two branches off 8f6e0f2be8d2, so it has no ops.
 */
import { migration } from 'sqlscribe';

export default migration({
  revision: '7c6ac304c575',
  down: ['2a6d94c6cc2b', '7b4f50a1e0e0'],
  message: 'Merge multiple heads',
  upgrade: [],
});
