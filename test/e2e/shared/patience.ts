// How long the end-to-end suites wait before calling something hung. No test passes or fails by speed:
// these limits only end a wait that would never succeed, so they sit far above what a step takes on a
// 2-core machine that is busy with other jobs (there, VS Code runs five to ten times slower than on an
// idle one: a 9 s test took 44 s, the UI story's theme step 67 s). A retry loop's short per-attempt
// wait (a command not registered yet) is not one of these: the loop as a whole uses them.

/** One expected event: a message, a diff opening, a file saved, a webview drawn (milliseconds). */
export const EVENT_MS = 90_000;
/** One test, or one step of the UI story, several events long (milliseconds). */
export const TEST_MS = 600_000;
/** A suite whose extension host printed nothing for this long is stuck (milliseconds; above TEST_MS, so
 *  mocha's own timeout names the test first). */
export const SILENCE_MS = 900_000;
