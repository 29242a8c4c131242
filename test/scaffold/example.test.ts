/**
 * The example history in `migrations/` (dataMortem/Requiem): every file loads and type-checks, the
 * revision graph is the real one, the schema it builds at head has the documented column counts, and
 * it agrees with `test/fixtures/example/expected-schema.json` (which was checked on a real PostgreSQL).
 */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { slugify, writeRevision } from '../../src/commands/scaffold.js';
import type { Column, DefaultValue, Migration, Op, TableItem, TypeSpec } from '../../src/index.js';
import { BUILTIN_TEMPLATES_DIR, TemplateSet } from '../../src/render/templates.js';
import { loadMigrationFile, REPO_ROOT, tempDir, typeCheck } from './helpers.js';

const MIGRATIONS_DIR = join(REPO_ROOT, 'migrations');
const EXPECTED = JSON.parse(readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'example', 'expected-schema.json'), 'utf8')) as ExpectedSchema;

interface ExpectedColumn {
  name: string;
  type: string;
  nullable: boolean;
  default: string | null;
  comment: string | null;
}
interface ExpectedTable {
  comment: string | null;
  columns: ExpectedColumn[];
  constraints: { name: string; type: 'p' | 'u' | 'f' | 'c'; definition: string }[];
  indexes: { name: string; definition: string }[];
}
interface ExpectedSchema {
  head: string;
  versionRows: string[];
  enums: Record<string, string[]>;
  tables: Record<string, ExpectedTable>;
}

/** The history as `alembic history` prints it, base first. */
const HISTORY: { revision: string; down: string | string[] | null; message: string }[] = [
  { revision: 'c6e23e92af16', down: null, message: 'Add users table and user foreign key to cases' },
  { revision: '8f6e0f2be8d2', down: 'c6e23e92af16', message: 'Add python_version and requirements to custom_scripts' },
  { revision: '7b4f50a1e0e0', down: '8f6e0f2be8d2', message: 'Add email verification and OTP fields to users' },
  { revision: '2a6d94c6cc2b', down: '8f6e0f2be8d2', message: 'Add HedgeDoc slug to cases' },
  { revision: '7c6ac304c575', down: ['2a6d94c6cc2b', '7b4f50a1e0e0'], message: 'Merge multiple heads' },
  { revision: '0d8c359bb4f1', down: '7c6ac304c575', message: 'Sync with current models state' },
];

const COLUMN_COUNTS: Record<string, number> = {
  users: 13,
  cases: 6,
  evidence: 5,
  analysis_modules: 5,
  task_run: 11,
  custom_scripts: 9,
  user_scripts: 4,
  events: 11,
};

function loadAll(): Map<string, { file: string; migration: Migration }> {
  const out = new Map<string, { file: string; migration: Migration }>();
  for (const file of readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.ts')).sort()) {
    const migration = loadMigrationFile(join(MIGRATIONS_DIR, file));
    out.set(migration.revision, { file, migration });
  }
  return out;
}

/** Replays the upgrade ops of the history, base to head, into a table → columns model. */
function schemaAtHead(migrations: Map<string, { migration: Migration }>): Map<string, { comment?: string; columns: Column[]; items: TableItem[] }> {
  const tables = new Map<string, { comment?: string; columns: Column[]; items: TableItem[] }>();
  for (const { revision } of HISTORY) {
    for (const op of migrations.get(revision)!.migration.upgrade as Op[]) {
      if (op.kind === 'createTable') {
        assert.ok(!tables.has(op.table), `${op.table} created twice`);
        tables.set(op.table, { comment: op.comment, columns: op.items.filter((i): i is Column => i.kind === 'column'), items: [...op.items] });
      } else if (op.kind === 'addColumn') {
        tables.get(op.table)!.columns.push(op.column);
      } else if (op.kind === 'dropColumn' || op.kind === 'dropTable' || op.kind === 'renameTable' || op.kind === 'alterColumn') {
        assert.fail(`the example history has no ${op.kind}; extend this replay if it gets one`);
      }
    }
  }
  return tables;
}

/** What PostgreSQL's format_type prints for a type, as the PostgreSQL dialect renders it. */
function formatType(type: TypeSpec): string {
  switch (type.kind) {
    case 'integer':
      return 'integer';
    case 'bigInteger':
      return 'bigint';
    case 'string':
      return type.length === undefined ? 'character varying' : `character varying(${type.length})`;
    case 'text':
      return 'text';
    case 'boolean':
      return 'boolean';
    case 'dateTime':
      return type.timezone ? 'timestamp with time zone' : 'timestamp without time zone';
    case 'uuid':
      return 'uuid';
    case 'jsonb':
      return 'jsonb';
    case 'enum':
      return type.name;
    default:
      return assert.fail(`type ${type.kind} is not used by the example; add it here`);
  }
}

/** What pg_get_expr prints for a column's default, for the kinds of default the example uses. */
function formatDefault(table: string, col: Column, isAutoincrement: boolean): string | null {
  const d: DefaultValue | undefined = col.serverDefault;
  if (d === undefined) return isAutoincrement ? `nextval('${table}_${col.name}_seq'::regclass)` : null;
  if (typeof d === 'boolean') return String(d);
  if (typeof d === 'string') {
    const cast = col.type.kind === 'enum' ? col.type.name : col.type.kind === 'string' ? 'character varying' : assert.fail(`string default on ${col.type.kind}`);
    return `'${d.replace(/'/g, "''")}'::${cast}`;
  }
  if (typeof d === 'number') return String(d);
  return d.text; // the example writes its sql`...` defaults as PostgreSQL prints them back
}

describe('example history (migrations/)', () => {
  const migrations = loadAll();

  it('has the real revisions, parents and messages, in files named <revision>_<slug>.ts', () => {
    assert.deepEqual([...migrations.keys()].sort(), HISTORY.map((h) => h.revision).sort());
    for (const h of HISTORY) {
      const { file, migration } = migrations.get(h.revision)!;
      assert.equal(file, `${h.revision}_${slugify(h.message)}.ts`);
      assert.deepEqual({ revision: migration.revision, down: migration.down, message: migration.message }, h);
      assert.equal(migration.branchLabels, undefined);
      assert.equal(migration.dependsOn, undefined);
    }
  });

  it('is the graph of `alembic history`: one base, a branchpoint, a mergepoint, one head', () => {
    const parents = (r: string): string[] => {
      const d = migrations.get(r)!.migration.down;
      return d === null ? [] : typeof d === 'string' ? [d] : [...d];
    };
    const all = [...migrations.keys()];
    const children = (r: string): string[] => all.filter((c) => parents(c).includes(r));
    assert.deepEqual(all.filter((r) => parents(r).length === 0), ['c6e23e92af16']);
    assert.deepEqual(all.filter((r) => children(r).length === 0), [EXPECTED.head]);
    assert.deepEqual(all.filter((r) => children(r).length > 1), ['8f6e0f2be8d2']);
    assert.deepEqual(all.filter((r) => parents(r).length > 1), ['7c6ac304c575']);
    assert.deepEqual(EXPECTED.versionRows, ['0d8c359bb4f1']);
  });

  it('leaves every downgrade to be derived, and uses only ops that have an inverse', () => {
    for (const { file, migration } of migrations.values()) {
      assert.equal(migration.downgrade, undefined, `${file} writes a downgrade`);
      for (const op of migration.upgrade) {
        assert.ok(op.kind !== 'execute' && op.kind !== 'bulkInsert', `${file}: ${op.kind} has no inverse`);
      }
    }
    assert.deepEqual(migrations.get('7c6ac304c575')!.migration.upgrade, []);
    assert.deepEqual(migrations.get('0d8c359bb4f1')!.migration.upgrade, []);
  });

  it('builds the tables with the documented column counts at head', () => {
    const tables = schemaAtHead(migrations);
    assert.deepEqual(Object.fromEntries([...tables].map(([name, t]) => [name, t.columns.length])), COLUMN_COUNTS);
  });

  it('agrees with test/fixtures/example/expected-schema.json', () => {
    const tables = schemaAtHead(migrations);
    assert.deepEqual([...tables.keys()].sort(), Object.keys(EXPECTED.tables).filter((t) => t !== 'alembic_version'));
    const enums: Record<string, string[]> = {};
    const indexNames = new Set<string>();
    const namedConstraints = new Set<string>();
    for (const { migration } of migrations.values()) {
      for (const op of migration.upgrade) {
        if (op.kind === 'createIndex') indexNames.add(`${op.table}.${op.name}`);
        if (op.kind === 'createUniqueConstraint') namedConstraints.add(`${op.table}.${op.name}`);
        if (op.kind === 'addColumn' && op.column.references?.name) namedConstraints.add(`${op.table}.${op.column.references.name}`);
      }
    }
    for (const [name, table] of tables) {
      const expected = EXPECTED.tables[name]!;
      assert.equal(table.comment ?? null, expected.comment, `${name} comment`);
      const pkColumns = new Set(table.items.flatMap((i) => (i.kind === 'primaryKey' ? i.columns : i.kind === 'column' && i.primaryKey ? [i.name] : [])));
      const actual = table.columns.map((c): ExpectedColumn => {
        const isPk = pkColumns.has(c.name);
        const auto = isPk && pkColumns.size === 1 && (c.type.kind === 'integer' || c.type.kind === 'bigInteger') && c.autoincrement !== false;
        return {
          name: c.name,
          type: formatType(c.type),
          nullable: isPk ? false : c.nullable !== false,
          default: formatDefault(name, c, auto),
          comment: c.comment ?? null,
        };
      });
      assert.deepEqual(actual, expected.columns, `${name} columns`);
      for (const c of table.columns) if (c.type.kind === 'enum') enums[c.type.name] = [...c.type.values];
      for (const item of table.items) if (item.kind === 'check' && item.name) namedConstraints.add(`${name}.${item.name}`);
      const uniqueCols = table.columns.filter((c) => c.unique).map((c) => `${name}.${name}_${c.name}_key`);
      for (const u of uniqueCols) namedConstraints.add(u);
      const fkCount = table.columns.filter((c) => c.references).length + table.items.filter((i) => i.kind === 'foreignKey').length;
      assert.equal(expected.constraints.filter((c) => c.type === 'f').length, fkCount, `${name} foreign keys`);
      assert.equal(expected.constraints.filter((c) => c.type === 'p').length, 1, `${name} primary key`);
    }
    assert.deepEqual(enums, EXPECTED.enums);
    const expectedIndexes = Object.entries(EXPECTED.tables).flatMap(([t, x]) =>
      x.indexes.filter((i) => !x.constraints.some((c) => c.name === i.name)).map((i) => `${t}.${i.name}`),
    );
    assert.deepEqual([...indexNames].sort(), expectedIndexes.sort());
    const expectedNamed = Object.entries(EXPECTED.tables).flatMap(([t, x]) =>
      x.constraints.filter((c) => c.type === 'c' || c.type === 'u' || (c.type === 'f' && !c.name.endsWith('_fkey'))).map((c) => `${t}.${c.name}`),
    );
    assert.deepEqual([...namedConstraints].sort(), expectedNamed.sort());
  });

  it('type-checks, with the files that writeRevision generates', () => {
    const generated = tempDir();
    const templates = new TemplateSet([BUILTIN_TEMPLATES_DIR]);
    const files = [
      writeRevision({ dir: generated, revision: 'ae1027a6acf0', down: '0d8c359bb4f1', message: "Add O'Brien's */ table", templates }),
      writeRevision({ dir: generated, revision: '7c6ac304c575', down: ['2a6d94c6cc2b', '7b4f50a1e0e0'], message: 'Merge multiple heads', templates }),
      writeRevision({ dir: generated, revision: '3f1e9c0d2b7a', down: null, message: 'x', branchLabels: ['audit'], dependsOn: ['c6e23e92af16'], templates }),
    ];
    const own = readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.ts')).map((f) => join(MIGRATIONS_DIR, f));
    const { status, output } = typeCheck([...own, ...files]);
    assert.equal(status, 0, output);
  });
});
