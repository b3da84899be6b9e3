// Reads `ask --json` output the way an outside tool would, and holds it to the contract: every line
// must be one JSON object that src/protocol/cliEvents.ts accepts, with no field the schema lacks.
import * as assert from 'node:assert/strict';
import { parseCliEvent } from '../../src/protocol/cliEvents';

/**
 * One event as the tests read it: its `type`, the fields several tests read, typed, and any other field (already
 * checked against the schema).
 */
export interface CliEventLine {
  type: string;
  text?: string;
  outcome?: string;
  error?: { kind: string; status?: number; message?: string };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read the fields of any event type
  [field: string]: any;
}

/** The NDJSON events of `stdout` (empty output: none); fails on a line that is no valid event. */
export function cliEvents(stdout: string): CliEventLine[] {
  const text = stdout.trim();
  if (!text) return [];
  return text.split('\n').map((line, i) => {
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      assert.fail(`line ${i + 1} of the NDJSON output is not JSON: ${line.slice(0, 200)}`);
    }
    const checked = parseCliEvent(raw);
    assert.ok(checked, `line ${i + 1} is no valid ask --json event: ${line.slice(0, 500)}`);
    // The schema drops fields it does not know: an event equal to its checked copy has none.
    assert.deepEqual(checked, raw, `line ${i + 1} has fields the schema does not define: ${line.slice(0, 500)}`);
    return raw as CliEventLine;
  });
}
