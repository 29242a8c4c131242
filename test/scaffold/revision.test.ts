/**
 * `writeRevision`, `revisionView`, `slugify` and `newRevisionId`: the new migration file of
 * `sqlscribe revision` / `sqlscribe merge`, checked as golden text.
 */
import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { newRevisionId, revisionView, slugify, writeRevision } from '../../src/commands/scaffold.js';
import { UserError } from '../../src/errors.js';
import { BUILTIN_TEMPLATES_DIR, TemplateSet } from '../../src/render/templates.js';
import { loadMigrationFile, tempDir } from './helpers.js';

const templates = new TemplateSet([BUILTIN_TEMPLATES_DIR]);

/** The lines every generated file ends with (the upgrade and downgrade comments). */
const TAIL = `  // The ops of this revision, in order, for example:
  //   op.addColumn('users', column('nickname', t.string(50))),
  //   op.createIndex('ix_users_nickname', 'users', ['nickname']),
  upgrade: [],
  // No \`downgrade\`: it is derived from \`upgrade\` (each op's inverse, in reverse order; what a drop
  // removes is read from the schema that the earlier revisions build). Write one only when an op has
  // no inverse (op.execute, op.bulkInsert) or when undoing it takes something else, such as a data fix.
});
`;

describe('writeRevision', () => {
  it('writes a plain revision', () => {
    const dir = tempDir();
    const path = writeRevision({ dir, revision: 'ae1027a6acf0', down: '0d8c359bb4f1', message: 'Add user preferences', templates });
    assert.equal(path, join(dir, 'ae1027a6acf0_add_user_preferences.ts'));
    assert.equal(
      readFileSync(path, 'utf8'),
      `/**
 * Add user preferences
 *
 * Revision ID: ae1027a6acf0
 * Revises: 0d8c359bb4f1
 */
import { migration, op, column, t, sql } from 'sqlscribe';

export default migration({
  revision: 'ae1027a6acf0',
  down: '0d8c359bb4f1',
  message: 'Add user preferences',
${TAIL}`,
    );
    assert.deepEqual(readdirSync(dir), ['ae1027a6acf0_add_user_preferences.ts'], 'no temporary file is left behind');
  });

  it('writes a merge point (down is an array)', () => {
    const dir = tempDir();
    const path = writeRevision({ dir, revision: '7c6ac304c575', down: ['2a6d94c6cc2b', '7b4f50a1e0e0'], message: 'Merge multiple heads', templates });
    assert.equal(path, join(dir, '7c6ac304c575_merge_multiple_heads.ts'));
    assert.equal(
      readFileSync(path, 'utf8'),
      `/**
 * Merge multiple heads
 *
 * Revision ID: 7c6ac304c575
 * Revises: 2a6d94c6cc2b, 7b4f50a1e0e0
 */
import { migration, op, column, t, sql } from 'sqlscribe';

export default migration({
  revision: '7c6ac304c575',
  down: ['2a6d94c6cc2b', '7b4f50a1e0e0'],
  message: 'Merge multiple heads',
${TAIL}`,
    );
  });

  it('writes a new branch base with branch labels and depends_on', () => {
    const dir = tempDir();
    const path = writeRevision({
      dir,
      revision: '3f1e9c0d2b7a',
      down: null,
      message: 'Create the audit branch',
      branchLabels: ['audit'],
      dependsOn: ['2a6d94c6cc2b', '7b4f50a1e0e0'],
      templates,
    });
    assert.equal(path, join(dir, '3f1e9c0d2b7a_create_the_audit_branch.ts'));
    assert.equal(
      readFileSync(path, 'utf8'),
      `/**
 * Create the audit branch
 *
 * Revision ID: 3f1e9c0d2b7a
 * Revises: <base>
 */
import { migration, op, column, t, sql } from 'sqlscribe';

export default migration({
  revision: '3f1e9c0d2b7a',
  down: null,
  message: 'Create the audit branch',
  branchLabels: ['audit'],
  dependsOn: ['2a6d94c6cc2b', '7b4f50a1e0e0'],
${TAIL}`,
    );
  });

  it('escapes the message for the TS literal and for the header comment', () => {
    const dir = tempDir();
    const message = `Fix O'Brien's "notes" \\ path */ here\n\nsecond line\tend`;
    const path = writeRevision({ dir, revision: '0123456789ab', down: 'c6e23e92af16', message, templates });
    assert.equal(path, join(dir, '0123456789ab_fix_o_brien_s_notes_path_here_second_.ts'));
    const text = readFileSync(path, 'utf8');
    assert.ok(
      text.startsWith(`/**
 * Fix O'Brien's "notes" \\ path *\\/ here
 *
 * second line\tend
 *
 * Revision ID: 0123456789ab
`),
      text,
    );
    assert.ok(text.includes(`  message: 'Fix O\\'Brien\\'s "notes" \\\\ path */ here\\n\\nsecond line\\tend',\n`), text);
    assert.equal(loadMigrationFile(path).message, message, 'the literal evaluates back to the message');
  });

  it('writes one id for a one-element down, null for an empty one, and "(no message)" for an empty message', () => {
    const one = revisionView({ revision: 'aaaaaaaaaaaa', down: ['bbbbbbbbbbbb'], message: '' });
    assert.equal(one.downLiteral, "'bbbbbbbbbbbb'");
    assert.equal(one.revises, 'bbbbbbbbbbbb');
    assert.equal(one.messageComment, '(no message)');
    assert.equal(one.messageLiteral, "''");
    assert.equal(one.fileName, 'aaaaaaaaaaaa_.ts', "Alembic's <rev>_.py for an empty slug");
    const none = revisionView({ revision: 'aaaaaaaaaaaa', down: [], message: 'x', branchLabels: [], dependsOn: [] });
    assert.equal(none.downLiteral, 'null');
    assert.equal(none.revises, '<base>');
    assert.equal(none.branchLabelsLiteral, '');
    assert.equal(none.dependsOnLiteral, '');
  });

  it('produces files that evaluate to the migration they describe', () => {
    const dir = tempDir();
    const path = writeRevision({ dir, revision: 'feedc0ffee00', down: ['a1', 'b2'], message: 'm', branchLabels: ['x'], dependsOn: ['c3'], templates });
    const m = loadMigrationFile(path);
    assert.deepEqual(
      { revision: m.revision, down: m.down, message: m.message, branchLabels: m.branchLabels, dependsOn: m.dependsOn, upgrade: m.upgrade, downgrade: m.downgrade },
      { revision: 'feedc0ffee00', down: ['a1', 'b2'], message: 'm', branchLabels: ['x'], dependsOn: ['c3'], upgrade: [], downgrade: undefined },
    );
  });

  it('is deterministic', () => {
    const a = writeRevision({ dir: tempDir(), revision: 'ae1027a6acf0', down: null, message: 'Same', templates });
    const b = writeRevision({ dir: tempDir(), revision: 'ae1027a6acf0', down: null, message: 'Same', templates });
    assert.equal(readFileSync(a, 'utf8'), readFileSync(b, 'utf8'));
  });

  it('never overwrites: the same file, or another file of the same revision id', () => {
    const dir = tempDir();
    const path = writeRevision({ dir, revision: 'ae1027a6acf0', down: null, message: 'First', templates });
    const before = readFileSync(path, 'utf8');
    assert.throws(
      () => writeRevision({ dir, revision: 'ae1027a6acf0', down: null, message: 'First', templates }),
      (err: Error) => err instanceof UserError && err.message.includes('ae1027a6acf0_first.ts') && err.message.includes('already exists'),
    );
    assert.throws(
      () => writeRevision({ dir, revision: 'ae1027a6acf0', down: null, message: 'Another message', templates }),
      (err: Error) => err instanceof UserError && err.message.includes('ae1027a6acf0_first.ts'),
    );
    assert.equal(readFileSync(path, 'utf8'), before);
    assert.deepEqual(readdirSync(dir), ['ae1027a6acf0_first.ts']);
  });

  it('refuses a missing folder, and invalid revision ids', () => {
    const dir = tempDir();
    assert.throws(
      () => writeRevision({ dir: join(dir, 'nope'), revision: 'ae1027a6acf0', down: null, message: 'x', templates }),
      (err: Error) => err instanceof UserError && /doesn't exist/.test(err.message) && err.message.includes('sqlscribe init'),
    );
    for (const revision of ['', 'a-b', 'a:b', 'a b', "a'b", '../evil', 'a/b', '.hidden']) {
      assert.throws(() => writeRevision({ dir, revision, down: null, message: 'x', templates }), UserError, `revision ${JSON.stringify(revision)}`);
    }
    assert.throws(() => writeRevision({ dir, revision: 'ok', down: ['a@b'], message: 'x', templates }), UserError);
    assert.throws(() => writeRevision({ dir, revision: 'ok', down: null, dependsOn: ['a+1'], message: 'x', templates }), UserError);
    assert.throws(() => writeRevision({ dir, revision: 'ok', down: null, branchLabels: [' '], message: 'x', templates }), UserError);
    assert.deepEqual(readdirSync(dir), []);
  });

  it("renders a team's own revision.ts.hbs from its templates folder", () => {
    const teamTemplates = tempDir();
    writeFileSync(join(teamTemplates, 'revision.ts.hbs'), '// {{revision}} <- {{revises}}: {{messageLiteral}}\n');
    const dir = tempDir();
    const path = writeRevision({ dir, revision: 'ae1027a6acf0', down: 'c6e23e92af16', message: "it's", templates: new TemplateSet([BUILTIN_TEMPLATES_DIR, teamTemplates]) });
    assert.equal(readFileSync(path, 'utf8'), "// ae1027a6acf0 <- c6e23e92af16: 'it\\'s'\n");

    writeFileSync(join(teamTemplates, 'revision.ts.hbs'), '// {{createDate}}\n');
    assert.throws(
      () => writeRevision({ dir, revision: 'bbbbbbbbbbbb', down: null, message: 'x', templates: new TemplateSet([BUILTIN_TEMPLATES_DIR, teamTemplates]) }),
      UserError,
    );
    assert.ok(!existsSync(join(dir, 'bbbbbbbbbbbb_x.ts')));
  });

  it('writes into an existing folder that holds other files', () => {
    const dir = join(tempDir(), 'migrations');
    mkdirSync(dir);
    writeFileSync(join(dir, 'ae1027a6acf0x_other.ts'), '');
    const path = writeRevision({ dir, revision: 'ae1027a6acf0', down: null, message: 'x', templates });
    assert.ok(existsSync(path));
  });
});

describe('slugify (Alembic _rev_path)', () => {
  // Expected values computed with Alembic's own code: "_".join(re.findall(r"\w+", msg)).lower(),
  // then slug[:40].rsplit("_", 1)[0] + "_" when longer than 40.
  const cases: [string, string][] = [
    ['Add users table and user foreign key to cases', 'add_users_table_and_user_foreign_key_to_'],
    ['Add python_version and requirements to custom_scripts', 'add_python_version_and_requirements_to_'],
    ['Add email verification and OTP fields to users', 'add_email_verification_and_otp_fields_'],
    ['Add HedgeDoc slug to cases', 'add_hedgedoc_slug_to_cases'],
    ['Merge multiple heads', 'merge_multiple_heads'],
    ['  Fix: user.email -> CITEXT!! ', 'fix_user_email_citext'],
    ["Drop 'legacy' tables (v2.1)", 'drop_legacy_tables_v2_1'],
    ['snake_case__kept_', 'snake_case__kept_'],
    ['', ''],
    ['!!!', ''],
    ['Ajout des champs de sécurité', 'ajout_des_champs_de_sécurité'],
    ['Ünïcödé ΣΑΣ', 'ünïcödé_σας'],
    ['a'.repeat(40), 'a'.repeat(40)],
    ['a'.repeat(41), `${'a'.repeat(40)}_`],
    [`${'x'.repeat(39)} y`, `${'x'.repeat(39)}_`],
  ];
  for (const [message, slug] of cases) {
    it(`${JSON.stringify(message)} -> ${JSON.stringify(slug)}`, () => assert.equal(slugify(message), slug));
  }
});

describe('newRevisionId', () => {
  it('gives 12 lowercase hex characters, different each time', () => {
    const ids = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const id = newRevisionId();
      assert.match(id, /^[0-9a-f]{12}$/);
      ids.add(id);
    }
    assert.equal(ids.size, 1000);
  });
});
