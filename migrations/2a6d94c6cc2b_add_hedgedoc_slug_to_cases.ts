/**
 * Add HedgeDoc slug to cases
 *
 * Revision ID: 2a6d94c6cc2b
 * Revises: 8f6e0f2be8d2
 *
 * One of the two branches off 8f6e0f2be8d2 (the other is 7b4f50a1e0e0); merged in 7c6ac304c575.
 * Each case gets its own collaborative HedgeDoc note.
 */
import { migration, op, column, t } from 'sqlscribe';

export default migration({
  revision: '2a6d94c6cc2b',
  down: '8f6e0f2be8d2',
  message: 'Add HedgeDoc slug to cases',
  upgrade: [
    op.addColumn('cases', column('hedgedoc_slug', t.string(255), { comment: "Slug of the case's HedgeDoc note" })),
    op.createUniqueConstraint('uq_cases_hedgedoc_slug', 'cases', ['hedgedoc_slug']),
  ],
});
