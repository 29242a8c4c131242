/**
 * Sync with current models state
 *
 * Revision ID: 0d8c359bb4f1
 * Revises: 7c6ac304c575
 *
 * The head. In the real project `alembic revision --autogenerate` found no difference between the
 * models and the database after the merge, and this empty revision records that.
 */
import { migration } from 'sqlscribe';

export default migration({
  revision: '0d8c359bb4f1',
  down: '7c6ac304c575',
  message: 'Sync with current models state',
  upgrade: [],
});
