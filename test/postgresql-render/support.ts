/**
 * Helpers of the PostgreSQL rendering tests: a compile context that remembers the enum types earlier ops
 * created (as the schema model does), and the text form of a golden file.
 */
import { fileURLToPath } from 'node:url';
import type { EnumType, Op } from '../../src/ops/types.js';
import type { CompileContext, NamingConvention, Statement } from '../../src/dialects/types.js';
import { postgresql } from '../../src/dialects/postgresql/index.js';
import { dialectTemplates } from '../../src/render/templates.js';
import { op } from '../../src/ops/builders.js';
import { SchemaState, type TableState } from '../../src/state/schema.js';

/** `test/fixtures/postgresql/` in the source tree (the tests run from `dist/`). */
export const GOLDEN_DIR = fileURLToPath(new URL('../../../test/fixtures/postgresql/', import.meta.url));

const templates = dialectTemplates('postgresql');

/** One golden case: ops compiled in order into `test/fixtures/postgresql/<name>.sql`. */
export interface GoldenCase {
  /** File name without `.sql`. */
  readonly name: string;
  /** One line saying what the case shows; the file's first line. */
  readonly title: string;
  readonly ops: readonly Op[];
  /** Enum types that exist before the first op (`schema.name` or `name`). */
  readonly existingEnums?: readonly string[];
  readonly namingConvention?: NamingConvention;
  /** SQL that prepares an empty database for the golden SQL (used only by the acceptance run). */
  readonly setup?: string;
}

/**
 * The compile context of a golden case: the schema model's, so an enum exists when it existed before the
 * case (`schema.name` or `name` in `existingEnums`) or an earlier op created it.
 */
export class TestContext implements CompileContext {
  readonly templates = templates;
  readonly namingConvention: NamingConvention | undefined;
  readonly state = new SchemaState();

  constructor(existingEnums: readonly string[] = [], namingConvention?: NamingConvention) {
    for (const key of existingEnums) {
      const [schema, name] = key.includes('.') ? key.split('.') : [undefined, key];
      this.state.apply(op.createEnum(name!, ['x'], schema ? { schema } : {}));
    }
    this.namingConvention = namingConvention;
  }

  enumExists(type: EnumType): boolean {
    return this.state.enumExists(type);
  }

  table(name: string, schema?: string): TableState | undefined {
    return this.state.table(name, schema);
  }

  /** Moves the model past `o`. */
  after(o: Op): void {
    this.state.apply(o);
  }
}

/** The statements of a list of ops, compiled in order with one {@link TestContext}. */
export function compileAll(ops: readonly Op[], existingEnums?: readonly string[], namingConvention?: NamingConvention): Statement[] {
  const ctx = new TestContext(existingEnums, namingConvention);
  const out: Statement[] = [];
  for (const op of ops) {
    out.push(...postgresql.compileOp(op, ctx));
    ctx.after(op);
  }
  return out;
}

/** The SQL of one op, statements joined as a script would (`;` and a blank line). */
export function sqlOf(op: Op, options: { existingEnums?: readonly string[]; namingConvention?: NamingConvention } = {}): string {
  return compileAll([op], options.existingEnums, options.namingConvention)
    .map((s) => `${s.sql};`)
    .join('\n\n');
}

/**
 * The text of a golden file: the title as a comment, then each statement with `;` and a blank line, as in
 * Alembic's offline output. A statement that must run outside a transaction block is preceded by
 * `-- autocommit` (the script assembler puts it between COMMIT and BEGIN).
 */
export function goldenText(c: GoldenCase): string {
  const statements = compileAll(c.ops, c.existingEnums, c.namingConvention);
  let text = `-- ${c.title}\n\n`;
  for (const s of statements) text += `${s.autocommit ? '-- autocommit\n' : ''}${s.sql};\n\n`;
  return text;
}
