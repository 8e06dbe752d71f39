#!/usr/bin/env node
// The package's bin: the same CLI as `npm run cli`, with TypeScript loaded through tsx.
require('tsx/cjs');
const { main } = require('../client/cli.ts');
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(err.message);
    process.exit(1);
  },
);
