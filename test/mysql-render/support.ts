/**
 * Helpers of the MySQL/MariaDB rendering tests: ops compiled in order against the schema model of the
 * dialect (so that `MODIFY COLUMN`, `dropConstraint` without a type and `dropIndex` see the table as it
 * is), and the text form of a golden file.
 */
import { fileURLToPath } from 'node:url';
import type { CompileContext, NamingConvention, Statement } from '../../src/dialects/types.js';
import { mariadb, mysql } from '../../src/dialects/mysql/index.js';
import { dialectTemplates } from '../../src/render/templates.js';
import type { EnumType, Op } from '../../src/ops/types.js';
import { SchemaState, type TableState } from '../../src/state/schema.js';

/** `test/mysql-render/golden/` in the source tree (the tests run from `dist/`). */
export const GOLDEN_DIR = fileURLToPath(new URL('../../../test/mysql-render/golden/', import.meta.url));

/** The two flavours. */
export type Flavour = 'mysql' | 'mariadb';
export const FLAVOURS: readonly Flavour[] = ['mysql', 'mariadb'];

/** One golden case: ops compiled in order into `golden/<name>.<dialect>.sql`. */
export interface GoldenCase {
  readonly name: string;
  /** One line saying what the case shows; the file's first line. */
  readonly title: string;
  readonly ops: readonly Op[];
  /** The dialects the case is for (default: both). */
  readonly dialects?: readonly Flavour[];
  readonly namingConvention?: NamingConvention;
  /** False when the case cannot be applied to an empty private database (it creates databases). */
  readonly apply?: boolean;
}

const templates = { mysql: dialectTemplates('mysql'), mariadb: dialectTemplates('mariadb') };

/** A compile context over the dialect's schema model, moved past each op. */
export class ModelContext implements CompileContext {
  readonly templates;
  readonly state: SchemaState;
  constructor(
    readonly flavour: Flavour,
    readonly namingConvention?: NamingConvention,
  ) {
    this.templates = templates[flavour];
    this.state = new SchemaState({ dialect: flavour, ...(namingConvention ? { namingConvention } : {}) });
  }
  enumExists(type: EnumType): boolean {
    return this.state.enumExists(type);
  }
  table(name: string, schema?: string): TableState | undefined {
    return this.state.table(name, schema);
  }
}

/** The statements of `ops`, compiled in order, the model moved past each. */
export function compileAll(flavour: Flavour, ops: readonly Op[], namingConvention?: NamingConvention): Statement[] {
  const ctx = new ModelContext(flavour, namingConvention);
  const dialect = flavour === 'mysql' ? mysql : mariadb;
  const out: Statement[] = [];
  for (const o of ops) {
    out.push(...dialect.compileOp(o, ctx));
    ctx.state.apply(o);
  }
  return out;
}

/** The text of a golden file: the title as a comment, then each statement with `;` and a blank line. */
export function goldenText(c: GoldenCase, flavour: Flavour): string {
  let text = `-- ${c.title}\n\n`;
  for (const s of compileAll(flavour, c.ops, c.namingConvention)) text += `${s.sql};\n\n`;
  return text;
}

/** The cases of a flavour. */
export function casesFor<T extends GoldenCase>(cases: readonly T[], flavour: Flavour): T[] {
  return cases.filter((c) => (c.dialects ?? FLAVOURS).includes(flavour));
}
