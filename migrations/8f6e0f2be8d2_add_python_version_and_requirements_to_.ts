/**
 * Add python_version and requirements to custom_scripts
 *
 * Revision ID: 8f6e0f2be8d2
 * Revises: c6e23e92af16
 *
 * The runtime of a marketplace script. `python_version` is NOT NULL with a server default, so the
 * existing rows get '3.11' as the column is added. This revision is a branchpoint: both
 * 7b4f50a1e0e0 and 2a6d94c6cc2b were written on top of it.
 */
import { migration, op, column, t } from 'sqlscribe';

export default migration({
  revision: '8f6e0f2be8d2',
  down: 'c6e23e92af16',
  message: 'Add python_version and requirements to custom_scripts',
  upgrade: [
    op.addColumn('custom_scripts', column('python_version', t.string(20), { nullable: false, serverDefault: '3.11' })),
    op.addColumn('custom_scripts', column('requirements', t.text(), { comment: 'pip requirements, one per line' })),
  ],
});
