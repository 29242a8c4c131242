/**
 * Helpers of the SQLite rendering tests: ops compiled in order over a SQLite schema model, with the
 * ops the dialect rebuilds grouped per table as the pipeline (`src/plan/compile.ts`) groups them, and
 * the text form of a golden file.
 */
import { fileURLToPath } from 'node:url';
import type { Op } from '../../src/ops/types.js';
import type { CompileContext, NamingConvention, Statement } from '../../src/dialects/types.js';
import { sqlite } from '../../src/dialects/sqlite/index.js';
import { dialectTemplates } from '../../src/render/templates.js';
import { snapshotTable } from '../../src/plan/compile.js';
import { SchemaState, type TableState } from '../../src/state/schema.js';

/** `test/fixtures/sqlite/` in the source tree (the tests run from `dist/`). */
export const GOLDEN_DIR = fileURLToPath(new URL('../../../test/fixtures/sqlite/', import.meta.url));

const templates = dialectTemplates('sqlite');

/** One golden case: `ops` compiled in order into `test/fixtures/sqlite/<name>.sql`, after `setup`. */
export interface GoldenCase {
  readonly name: string;
  /** One line saying what the case shows; the file's first line. */
  readonly title: string;
  /** Ops that make the tables the case needs (compiled too, but not part of the golden file). */
  readonly setup?: readonly Op[];
  readonly ops: readonly Op[];
  readonly namingConvention?: NamingConvention;
}

/** Compiles ops over one SQLite model, grouping rebuilds per table like the pipeline. */
export class Compiler {
  readonly state: SchemaState;
  readonly ctx: CompileContext;

  constructor(namingConvention?: NamingConvention) {
    this.state = new SchemaState({ dialect: 'sqlite', ...(namingConvention ? { namingConvention } : {}) });
    const state = this.state;
    this.ctx = {
      templates,
      enumExists: (t) => state.enumExists(t),
      table: (name, schema) => state.table(name, schema),
      ...(namingConvention ? { namingConvention } : {}),
    };
  }

  /** The statements of `ops`, in order; consecutive ops on one table that need a rebuild share one. */
  compile(ops: readonly Op[]): Statement[] {
    const out: Statement[] = [];
    let run: { table: string; ops: Op[]; before: TableState } | undefined;
    const flush = (): void => {
      if (!run) return;
      const after = this.state.table(run.table)!;
      const referencedBy = [...new Set(this.state.foreignKeysTo(after).map((f) => f.table.name))].filter((n) => n !== after.name);
      out.push(...sqlite.rebuild!.compile({ table: run.table, ops: run.ops, before: run.before, after, referencedBy }, this.ctx));
      run = undefined;
    };
    for (const o of ops) {
      const target = sqlite.rebuild!.tableOf(o, this.ctx, run);
      if (!target || (run && run.table !== target.table)) flush();
      const statements = sqlite.compileOp(o, this.ctx);
      if (target) {
        run ??= { table: target.table, ops: [], before: snapshotTable(this.state.table(target.table)!) };
        run.ops.push(o);
      } else {
        out.push(...statements);
      }
      this.state.apply(o);
    }
    flush();
    return out;
  }
}

/** The statements of a case's setup and of its ops. */
export function compileCase(c: GoldenCase): { setup: Statement[]; ops: Statement[] } {
  const compiler = new Compiler(c.namingConvention);
  const setup = compiler.compile(c.setup ?? []);
  return { setup, ops: compiler.compile(c.ops) };
}

/** Statements as a script writes them: `<sql>;` and a blank line each. */
export function scriptOf(statements: readonly Statement[]): string {
  return statements.map((s) => `${s.sql};\n\n`).join('');
}

/** The text of a golden file: the title as a comment, then each statement with `;` and a blank line. */
export function goldenText(c: GoldenCase): string {
  return `-- ${c.title}\n\n${scriptOf(compileCase(c).ops)}`;
}
