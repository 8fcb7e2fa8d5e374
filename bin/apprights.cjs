#!/usr/bin/env node
// The `apprights` command: runs the built CLI (out/main/cli.js). Build first with `npm run build`.
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const cli = join(__dirname, '..', 'out', 'main', 'cli.js');
if (!existsSync(cli)) {
  process.stderr.write('apprights: the workbench is not built yet; run `npm run build` in ' + join(__dirname, '..') + '\n');
  process.exit(1);
}
require(cli);
