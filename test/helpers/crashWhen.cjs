// Preloaded with `node --require` into a CLI process a test makes crash: once the file DSR_CRASH_WHEN names exists,
// an error is thrown from a timer, where nothing catches it (as a bug in an event handler would be).
const fs = require('node:fs');
const file = process.env.DSR_CRASH_WHEN;
if (file) {
  const timer = setInterval(() => {
    if (!fs.existsSync(file)) return;
    clearInterval(timer);
    throw new Error('a test made this process crash');
  }, 20);
  timer.unref();
}
