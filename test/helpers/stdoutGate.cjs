// Preloaded into a CLI process by tests (`node --require stdoutGate.cjs dist/cli.js …`): once a chunk
// written to stdout matches $DSR_GATE_PATTERN, it says so on file descriptor 3. A test can then hold
// off reading stdout until the process has handed over its last byte, the way a slow reader (a
// pager, `jq` on a busy machine) does, without racing a timer.
'use strict';
const fs = require('node:fs');

const pattern = new RegExp(process.env.DSR_GATE_PATTERN || '$^');
const write = process.stdout.write;
let told = false;
process.stdout.write = function gatedWrite(chunk, ...rest) {
  const queued = write.call(this, chunk, ...rest);
  if (!told && pattern.test(String(chunk))) {
    told = true;
    fs.writeSync(3, 'written\n');
  }
  return queued;
};
