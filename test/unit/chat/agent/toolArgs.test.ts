// Every malformed tool call gets one clear sentence for the model, never an exception.
import * as assert from 'node:assert/strict';
import { parseToolCall } from '../../../../src/chat/agent/toolArgs';
import { TOOL_NAMES, agentTools } from '../../../../src/chat/agent/toolDefs';

const call = (name: string, args: string) => ({
  id: 'c1',
  type: 'function' as const,
  function: { name, arguments: args },
});
const offered = [...TOOL_NAMES];
const message = (name: string, args: string, names: readonly string[] = offered) => {
  const r = parseToolCall(call(name, args), names);
  assert.equal(r.ok, false, `${name} ${args} should be refused`);
  return r.ok ? '' : r.message;
};

describe('agent tool definitions and arguments', () => {
  it(
    'offers the five tools in the contract order with their required parameters; Restricted Mode drops the ' +
      'writing ones',
    () => {
      const all = agentTools({ write: true });
      assert.deepEqual(
        all.map((t) => [t.function.name, t.function.parameters.required ?? []]),
        [
          ['read_files', ['paths']],
          ['search', ['pattern']],
          ['edit_files', ['edits']],
          ['run_command', ['command']],
          ['get_problems', []],
        ],
      );
      assert.equal(JSON.stringify(agentTools({ write: true })), JSON.stringify(all), 'byte-identical every time');
      assert.deepEqual(
        agentTools({ write: false }).map((t) => t.function.name),
        ['read_files', 'search', 'get_problems'],
      );
    },
  );

  it('parses valid calls into typed arguments', () => {
    assert.deepEqual(parseToolCall(call('read_files', '{"paths":["a.ts"]}'), offered), {
      ok: true,
      call: { name: 'read_files', paths: ['a.ts'] },
    });
    assert.deepEqual(parseToolCall(call('search', '{"pattern":"x","path":"src"}'), offered), {
      ok: true,
      call: { name: 'search', pattern: 'x', path: 'src' },
    });
    assert.deepEqual(parseToolCall(call('get_problems', ''), offered), { ok: true, call: { name: 'get_problems' } });
    assert.deepEqual(parseToolCall(call('edit_files', '{"edits":[{"path":"a","search":"","replace":"x"}]}'), offered), {
      ok: true,
      call: { name: 'edit_files', edits: [{ path: 'a', search: '', replace: 'x' }] },
    });
  });

  it('an unknown tool, or one this conversation does not offer', () => {
    assert.match(message('delete_repo', '{}'), /There is no tool "delete_repo"\. The tools are: read_files, search/);
    assert.match(message('run_command', '{"command":"ls"}', ['read_files']), /no tool "run_command"/);
  });

  it('arguments that are not JSON, or not an object', () => {
    assert.match(message('read_files', '{"paths": ["a.ts"'), /not valid JSON .*Send them again as one JSON object/);
    assert.match(message('read_files', '["a.ts"]'), /must be a JSON object, not an array/);
    assert.match(message('search', 'null'), /must be a JSON object, not null/);
  });

  it('a required field missing, empty or of the wrong type', () => {
    assert.match(message('read_files', '{}'), /read_files needs "paths".*\(it is missing\)/);
    assert.match(message('read_files', '{"paths": "a.ts"}'), /needs "paths".*got the string "a.ts"/);
    assert.match(message('read_files', '{"paths": ["a.ts", 3]}'), /item 2 is number 3/);
    assert.match(message('search', '{"pattern": ""}'), /search needs "pattern"/);
    assert.match(message('search', '{"pattern": "x", "path": 7}'), /"path" must be a string/);
    assert.match(message('edit_files', '{"edits": []}'), /edit_files needs "edits"/);
    assert.match(message('edit_files', '{"edits": [{"path": "a", "search": ""}]}'), /edit 1 lacks a string "replace"/);
    assert.match(message('edit_files', '{"edits": ["x"]}'), /edit 1 is the string "x"/);
    assert.match(message('edit_files', '{"edits": [{"path": " ", "search": "", "replace": ""}]}'), /empty "path"/);
    assert.match(message('run_command', '{"command": "  "}'), /run_command needs "command"/);
    assert.match(message('get_problems', '{"paths": [1]}'), /get_problems' "paths"/);
    const many = JSON.stringify({ paths: Array.from({ length: 201 }, (_, i) => `f${i}`) });
    assert.match(message('read_files', many), /at most 200/);
  });
});
