/**
 * Real PostgreSQL accepts every golden file: for each case, a fresh database gets the case's `setup`, then
 * the golden file through `psql -X -v ON_ERROR_STOP=1 -f`, as a DBA applies it. The server comes from the
 * shared harness (`test/support/postgres.ts`): `.ci/run`'s, or a private one; on CI a missing server fails.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pgTest } from '../support/postgres.js';
import { CASES } from './cases.js';
import { GOLDEN_DIR } from './support.js';

for (const c of CASES) {
  pgTest(`PostgreSQL accepts the golden SQL: ${c.name}`, async (_t, db) => {
    if (c.setup) await db.exec(c.setup);
    const applied = await db.psqlFile(join(GOLDEN_DIR, `${c.name}.sql`));
    assert.equal(applied.code, 0, `psql -f ${c.name}.sql failed:\n${applied.stderr}`);
  });
}
