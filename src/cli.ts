#!/usr/bin/env node
/**
 * The `sqlscribe` executable: runs the command line and exits with its code (0 ok, 1 user error,
 * 2 internal error).
 */
import { runCli } from './cli/program.js';

const code = await runCli(process.argv.slice(2), {
  cwd: process.cwd(),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
process.exitCode = code;
