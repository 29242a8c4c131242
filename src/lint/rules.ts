/**
 * The lint rules: names, origins, severities and what each one catches. Names are squawk's
 * (github.com/sbdchd/squawk, `crates/squawk_linter/src/lib.rs`, docs at squawkhq.com/docs/<name>) where
 * squawk has the rule; `narrowing-column-type` is sqlscribe's own (squawk has none for it).
 *
 * Every rule is about a table that existed before the op list started (it has rows in production and
 * running code uses it): an op on a table the same list created (empty, unused) is never a finding. See
 * `./index.ts` for the triggers and the exact messages.
 */

/** The names of the rules sqlscribe implements. */
export type RuleName =
  | 'ban-drop-table'
  | 'ban-drop-column'
  | 'renaming-table'
  | 'renaming-column'
  | 'narrowing-column-type'
  | 'changing-column-type'
  | 'require-concurrent-index-creation'
  | 'require-concurrent-index-deletion'
  | 'adding-foreign-key-constraint'
  | 'constraint-missing-not-valid'
  | 'disallowed-unique-constraint'
  | 'adding-serial-primary-key-field'
  | 'adding-not-nullable-field'
  | 'adding-required-field'
  | 'adding-field-with-default';

/** How bad a finding is: `error` = data is lost or the statement fails on a table with rows; `warning` = locks, rewrites, breaks running code. */
export type Severity = 'warning' | 'error';

/** One rule's documentation. */
export interface RuleInfo {
  readonly name: RuleName;
  /** `squawk`: the rule of that name in squawk; `sqlscribe`: ours, squawk has no such rule. */
  readonly origin: 'squawk' | 'sqlscribe';
  readonly severity: Severity;
  /** `any`: judged for every dialect; `postgresql`: about PostgreSQL's locks and rewrites, judged for it only. */
  readonly dialects: 'any' | 'postgresql';
  /** What triggers it, in one sentence. */
  readonly trigger: string;
  /** Where the behaviour it warns about is documented. */
  readonly reference: string;
}

const ALTER_NOTES = 'PostgreSQL 15 docs, SQL Commands: ALTER TABLE, Notes';

/** Every rule. (The findings of one op come in the order of the op's statements, not of this table.) */
export const RULES: readonly RuleInfo[] = [
  {
    name: 'ban-drop-table',
    origin: 'squawk',
    severity: 'error',
    dialects: 'any',
    trigger: 'dropTable of a table that existed before the migration: its rows are lost and running code that uses it breaks',
    reference: 'squawk ban-drop-table; strong_migrations "Removing a column" (same reasoning for tables)',
  },
  {
    name: 'ban-drop-column',
    origin: 'squawk',
    severity: 'error',
    dialects: 'any',
    trigger: 'dropColumn of a column that existed before the migration (not one the migration added)',
    reference: 'squawk ban-drop-column; strong_migrations "Removing a column"',
  },
  {
    name: 'renaming-table',
    origin: 'squawk',
    severity: 'warning',
    dialects: 'any',
    trigger: 'renameTable of a table that existed before the migration',
    reference: 'squawk renaming-table; strong_migrations "Renaming a table"',
  },
  {
    name: 'renaming-column',
    origin: 'squawk',
    severity: 'warning',
    dialects: 'any',
    trigger: 'alterColumn with newName, on a column that existed before the migration',
    reference: 'squawk renaming-column; strong_migrations "Renaming a column"',
  },
  {
    name: 'narrowing-column-type',
    origin: 'sqlscribe',
    severity: 'error',
    dialects: 'postgresql',
    trigger:
      'alterColumn type that holds fewer values than the current type, on a column that existed before the migration: VARCHAR(n) to a smaller n, TEXT to VARCHAR(n), ' +
      'BIGINT to INTEGER, NUMERIC with fewer integer digits or a smaller scale, DOUBLE PRECISION to REAL, numeric to integer, timestamp to DATE, an enum without some values, and arrays of these',
    reference: `${ALTER_NOTES} (the default USING is an assignment cast, which fails on values that do not fit); 8.1 "Numeric Types", 8.3 "Character Types"`,
  },
  {
    name: 'changing-column-type',
    origin: 'squawk',
    severity: 'warning',
    dialects: 'postgresql',
    trigger:
      'alterColumn type on a table that existed before the migration, when the change is not binary-coercible (so the table and its indexes are rewritten under ACCESS EXCLUSIVE): ' +
      'INTEGER to BIGINT rewrites, VARCHAR(n) to TEXT or to a larger VARCHAR does not; also reported when it may rewrite (unknown current type, a custom type, a USING expression, timestamp to timestamptz unless TimeZone is UTC)',
    reference: `${ALTER_NOTES} ("As an exception, when changing the type of an existing column, if the USING clause does not change the column contents and the old type is either binary coercible to the new type ..., a table rewrite is not needed"); squawk changing-column-type`,
  },
  {
    name: 'require-concurrent-index-creation',
    origin: 'squawk',
    severity: 'warning',
    dialects: 'postgresql',
    trigger: 'createIndex without concurrently on a table that existed before the migration',
    reference: 'PostgreSQL 15 docs, SQL Commands: CREATE INDEX, "Building Indexes Concurrently" (a plain build holds a SHARE lock, blocking writes)',
  },
  {
    name: 'require-concurrent-index-deletion',
    origin: 'squawk',
    severity: 'warning',
    dialects: 'postgresql',
    trigger: 'dropIndex without concurrently of an index the migration did not create, on a table that existed before it',
    reference: 'PostgreSQL 15 docs, SQL Commands: DROP INDEX (CONCURRENTLY: "A normal DROP INDEX acquires an ACCESS EXCLUSIVE lock on the table")',
  },
  {
    name: 'adding-foreign-key-constraint',
    origin: 'squawk',
    severity: 'warning',
    dialects: 'postgresql',
    trigger: 'createForeignKey without notValid, or addColumn with references, on a table that existed before the migration',
    reference: `${ALTER_NOTES} ("ADD FOREIGN KEY requires only a SHARE ROW EXCLUSIVE lock" on both tables, held while the table is scanned; NOT VALID skips the scan, VALIDATE CONSTRAINT takes SHARE UPDATE EXCLUSIVE)`,
  },
  {
    name: 'constraint-missing-not-valid',
    origin: 'squawk',
    severity: 'warning',
    dialects: 'postgresql',
    trigger: 'createCheckConstraint without notValid on a table that existed before the migration',
    reference: `${ALTER_NOTES} ("Adding a CHECK or NOT NULL constraint requires scanning the table"; ADD CONSTRAINT takes ACCESS EXCLUSIVE; NOT VALID skips the scan)`,
  },
  {
    name: 'disallowed-unique-constraint',
    origin: 'squawk',
    severity: 'warning',
    dialects: 'postgresql',
    trigger: 'createUniqueConstraint, or addColumn with unique, on a table that existed before the migration',
    reference: `${ALTER_NOTES} (ADD CONSTRAINT takes ACCESS EXCLUSIVE while the index is built); ALTER TABLE, ADD table_constraint_using_index`,
  },
  {
    name: 'adding-serial-primary-key-field',
    origin: 'squawk',
    severity: 'warning',
    dialects: 'postgresql',
    trigger: 'createPrimaryKey, or addColumn with primaryKey, on a table that existed before the migration',
    reference: `${ALTER_NOTES} (ADD CONSTRAINT takes ACCESS EXCLUSIVE while the index is built); ALTER TABLE, ADD table_constraint_using_index`,
  },
  {
    name: 'adding-not-nullable-field',
    origin: 'squawk',
    severity: 'warning',
    dialects: 'postgresql',
    trigger: 'alterColumn nullable: false on a table that existed before the migration (also for a column the migration added: the whole table is scanned)',
    reference: 'PostgreSQL 15 docs, SQL Commands: ALTER TABLE, SET/DROP NOT NULL ("checked during the ALTER TABLE by scanning the entire table; however, if a valid CHECK constraint is found which proves no NULL can exist, then the table scan is skipped")',
  },
  {
    name: 'adding-required-field',
    origin: 'squawk',
    severity: 'error',
    dialects: 'postgresql',
    trigger: 'addColumn NOT NULL (nullable: false or a primary key) with no server default, identity, SERIAL or generated value, on a table that existed before the migration',
    reference: 'PostgreSQL 15 docs, SQL Commands: ALTER TABLE, ADD COLUMN ("If no DEFAULT is specified, NULL is used"; a NOT NULL column then fails on a table with rows)',
  },
  {
    name: 'adding-field-with-default',
    origin: 'squawk',
    severity: 'warning',
    dialects: 'postgresql',
    trigger:
      'addColumn, on a table that existed before the migration, whose value is computed per row: a server default calling a VOLATILE function (random(), gen_random_uuid(), clock_timestamp(), nextval()...) ' +
      'or a function sqlscribe cannot tell is non-volatile, an identity column, a SERIAL column, or a stored generated column. A constant or STABLE default (now()) does not rewrite on PostgreSQL 11+',
    reference: `${ALTER_NOTES} ("Adding a column with a volatile DEFAULT ... will require the entire table and its indexes to be rewritten"); ALTER TABLE, ADD COLUMN; 38.7 "Function Volatility Categories"`,
  },
];

/** The rule of a name. */
export function ruleInfo(name: RuleName): RuleInfo {
  const r = RULES.find((x) => x.name === name);
  if (!r) throw new Error(`unknown lint rule ${name}`);
  return r;
}
