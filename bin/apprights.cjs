#!/usr/bin/env node
// The `apprights` command: runs the built CLI (out/main/cli.js). Build first with `npm run build`.
// BullMQ's msgpackr would load its optional prebuilt native add-on; the workbench runs on JS alone (no native
// modules: Electron's ABI, offline installs), and msgpackr's JS path is the same format.
process.env.MSGPACKR_NATIVE_ACCELERATION_DISABLED ??= 'true';
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const cli = join(__dirname, '..', 'out', 'main', 'cli.js');
if (!existsSync(cli)) {
  process.stderr.write('apprights: the workbench is not built yet; run `npm run build` in ' + join(__dirname, '..') + '\n');
  process.exit(1);
}
require(cli);
