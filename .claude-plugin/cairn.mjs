#!/usr/bin/env node
// Starts Cairn's CLI from this plugin (the bundled dist/cairn.js, which starts fastest, else
// dist/src/cli.js; both built by `npm install` in the plugin's folder) with the arguments given. When it is not built, a hook exits 0 without output (a hook
// must never get in Claude Code's way) and the MCP server explains what to run.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const bundle = join(root, 'dist', 'cairn.js');
const cli = existsSync(bundle) ? bundle : join(root, 'dist', 'src', 'cli.js');
if (existsSync(cli)) {
  process.argv.splice(1, 1, cli);
  await import(pathToFileURL(cli).href);
} else {
  process.stderr.write(`cairn: ${cli} is missing; run "npm install" in ${root} to build Cairn\n`);
  process.exitCode = process.argv[2] === 'hook' ? 0 : 1;
}
