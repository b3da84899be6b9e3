// Gathers the tool calls of one streamed answer. DeepSeek (and OpenAI) stream them in an indexed
// form: the first delta of a call carries `index`, `id`, `type`, `function.name` and an empty
// `arguments`; later deltas carry the same `index` and more `function.arguments` text to append.
// Other OpenAI-compatible servers differ at the edges: Ollama sends each call whole in one delta
// without `index`, some repeat the id on every delta, some reuse index 0 for every call with a new
// id. All of them come out as the list of calls, in order, with arguments exactly as received.
import type { StreamHandlers, ToolCall } from './types';

interface Pending {
  id: string;
  name: string;
  args: string;
}

export class ToolCallAccumulator {
  private readonly calls: Pending[] = [];
  /** Wire index → position in `calls` (an index reused with a new id starts a new call). */
  private readonly byIndex = new Map<number, number>();

  constructor(private readonly handlers: Pick<StreamHandlers, 'onToolCall'>) {}

  get count(): number {
    return this.calls.length;
  }

  /** Applies one delta's `tool_calls` array (entries that are not objects are skipped). */
  apply(deltas: unknown[]): void {
    for (const raw of deltas) {
      if (!raw || typeof raw !== 'object') continue;
      const d = raw as { index?: unknown; id?: unknown; function?: { name?: unknown; arguments?: unknown } | null };
      const id = typeof d.id === 'string' ? d.id : '';
      const name = typeof d.function?.name === 'string' ? d.function.name : '';
      const args = typeof d.function?.arguments === 'string' ? d.function.arguments : '';
      const wireIndex = typeof d.index === 'number' && Number.isInteger(d.index) ? d.index : undefined;
      let at = wireIndex === undefined ? undefined : this.byIndex.get(wireIndex);
      const current = at === undefined ? undefined : this.calls[at];
      if (current && id && current.id && id !== current.id) at = undefined; // the index reused for a new call
      if (at === undefined) {
        at = this.calls.push({ id, name, args: '' }) - 1;
        this.byIndex.set(wireIndex ?? -1 - at, at);
      }
      const call = this.calls[at]!;
      if (!call.id && id) call.id = id;
      if (!call.name && name) call.name = name; // a name repeated on later deltas is the same name
      call.args += args;
      this.handlers.onToolCall?.({ index: at, id: call.id, name: call.name, argumentsChars: call.args.length });
    }
  }

  /** The calls in order; a call the server sent without an id gets a stable one (`call_N`). */
  result(): ToolCall[] {
    return this.calls.map((c, i) => ({
      id: c.id || `call_${i}`,
      type: 'function',
      function: { name: c.name, arguments: c.args },
    }));
  }
}
