#!/usr/bin/env node
/**
 * Writes a synthetic linear history of N revisions twice — as sqlscribe TypeScript migrations and as the
 * equivalent Alembic 1.8 migrations — for `bench/run.mjs`.
 *
 * Revision i (0-based; id: the first 12 hex digits of sha256("bench-<i>"), deterministic):
 *   - creates table `t<i>` of 5 columns: `id` (integer primary key), `name` (varchar 100, not null),
 *     `amount` (numeric 12,2), `created_at` (timestamptz, default now()), `prev_id` (integer, a foreign key to
 *     `t<i-1>.id`; for i = 0 a plain integer);
 *   - adds column `note_<i>` (text) to the previous table `t<i-1>` (i > 0);
 *   - creates index `ix_t<i>_prev_id` on `t<i>(prev_id)`.
 *
 * Usage: node bench/generate.mjs N OUTDIR
 *   OUTDIR/sqlscribe/migrations/<rev>_r<i>.ts, OUTDIR/sqlscribe/sqlscribe.config.json
 *   OUTDIR/alembic/alembic.ini, env.py, script.py.mako-free versions/<rev>_r<i>.py
 * Both folders are replaced if present.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The revision id of revision i. */
export const revId = (i) => createHash('sha256').update(`bench-${i}`).digest('hex').slice(0, 12);

function sqlscribeFile(i) {
  const rev = revId(i);
  const down = i === 0 ? 'null' : `'${revId(i - 1)}'`;
  const prev = i === 0 ? "column('prev_id', t.integer())" : `column('prev_id', t.integer(), { references: { table: 't${i - 1}', column: 'id' } })`;
  const addColumn = i === 0 ? '' : `\n    op.addColumn('t${i - 1}', column('note_${i}', t.text())),`;
  return `import { migration, op, column, t, sql } from 'sqlscribe';

export default migration({
  revision: '${rev}',
  down: ${down},
  message: 'revision ${i}',
  upgrade: [
    op.createTable('t${i}', [
      column('id', t.integer(), { primaryKey: true }),
      column('name', t.string(100), { nullable: false }),
      column('amount', t.numeric(12, 2)),
      column('created_at', t.dateTime({ timezone: true }), { serverDefault: sql\`now()\` }),
      ${prev},
    ]),${addColumn}
    op.createIndex('ix_t${i}_prev_id', 't${i}', ['prev_id']),
  ],
});
`;
}

function alembicFile(i) {
  const rev = revId(i);
  const down = i === 0 ? 'None' : `"${revId(i - 1)}"`;
  const prev = i === 0 ? 'sa.Column("prev_id", sa.Integer())' : `sa.Column("prev_id", sa.Integer(), sa.ForeignKey("t${i - 1}.id"))`;
  const addColumn = i === 0 ? '' : `\n    op.add_column("t${i - 1}", sa.Column("note_${i}", sa.Text()))`;
  const dropColumn = i === 0 ? '' : `\n    op.drop_column("t${i - 1}", "note_${i}")`;
  return `"""revision ${i}

Revision ID: ${rev}
Revises: ${i === 0 ? '' : revId(i - 1)}
"""
from alembic import op
import sqlalchemy as sa

revision = "${rev}"
down_revision = ${down}
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "t${i}",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("amount", sa.Numeric(12, 2)),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()")),
        ${prev},
    )${addColumn}
    op.create_index("ix_t${i}_prev_id", "t${i}", ["prev_id"])


def downgrade():
    op.drop_index("ix_t${i}_prev_id", table_name="t${i}")${dropColumn}
    op.drop_table("t${i}")
`;
}

const ALEMBIC_INI = `[alembic]
script_location = %(here)s
sqlalchemy.url = postgresql://

[loggers]
keys = root

[handlers]
keys = console

[formatters]
keys = generic

[logger_root]
level = WARN
handlers = console
qualname =

[handler_console]
class = StreamHandler
args = (sys.stderr,)
level = NOTSET
formatter = generic

[formatter_generic]
format = %(levelname)-5.5s [%(name)s] %(message)s
`;

const ENV_PY = `from logging.config import fileConfig
from alembic import context

config = context.config
if config.config_file_name is not None:
    fileConfig(config.config_file_name)

context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=None, literal_binds=True, dialect_opts={"paramstyle": "named"})
with context.begin_transaction():
    context.run_migrations()
`;

/** Writes both histories of `n` revisions under `outDir`. */
export function generate(n, outDir) {
  const ss = join(outDir, 'sqlscribe');
  const al = join(outDir, 'alembic');
  rmSync(ss, { recursive: true, force: true });
  rmSync(al, { recursive: true, force: true });
  mkdirSync(join(ss, 'migrations'), { recursive: true });
  mkdirSync(join(al, 'versions'), { recursive: true });
  writeFileSync(join(ss, 'sqlscribe.config.json'), '{ "dialect": "postgresql", "migrations": ["migrations"] }\n');
  writeFileSync(join(al, 'alembic.ini'), ALEMBIC_INI);
  writeFileSync(join(al, 'env.py'), ENV_PY);
  const width = String(n - 1).length;
  for (let i = 0; i < n; i++) {
    const name = `${revId(i)}_r${String(i).padStart(width, '0')}`;
    writeFileSync(join(ss, 'migrations', `${name}.ts`), sqlscribeFile(i));
    writeFileSync(join(al, 'versions', `${name}.py`), alembicFile(i));
  }
  return { sqlscribe: ss, alembic: al, head: revId(n - 1), headMinus1: n > 1 ? revId(n - 2) : null };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const n = Number(process.argv[2]);
  const out = process.argv[3];
  if (!Number.isInteger(n) || n < 1 || !out) {
    console.error('usage: node bench/generate.mjs N OUTDIR');
    process.exit(1);
  }
  const r = generate(n, out);
  console.log(`wrote ${n} revisions to ${r.sqlscribe} and ${r.alembic}; head ${r.head}`);
}
