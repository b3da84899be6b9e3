// The "record" step of a turn (turnRun.ts): what goes into the history before the request is sent:
// a new conversation's title and endpoint, dropped turns, a model change, the context events, the
// question's images and the question itself (or the resume of an interrupted answer).
import type { ClientOptions } from '../llm/types';
import { endpointKey, type PlannedRequest, type RequestSpec } from './requestPlan';
import type { TurnHost } from './turnHost';

/** The history before sending: the title of a new conversation, dropped turns, the context, the question. */
export function recordQuestion(
  host: TurnHost,
  { spec, planned: p, client, at }: { spec: RequestSpec; planned: PlannedRequest; client: ClientOptions; at: number },
): void {
  const state = host.state();
  if (host.isNew() && spec.kind === 'ask') {
    state.title =
      (spec.shown?.text ?? spec.question)
        .split('\n')
        .find((l) => l.trim())
        ?.trim()
        .slice(0, 80) ?? 'Conversation';
    state.endpoint = endpointKey(client.baseUrl);
  }
  if (spec.kind === 'ask' && spec.keep !== undefined) host.write({ type: 'truncate', at, keep: spec.keep });
  if (spec.kind === 'ask' && spec.model) host.write({ type: 'model', at, model: spec.model });
  p.events.forEach((e) => host.write(e));
  // The images' bytes go to the store before the question that names them is written.
  if (spec.kind === 'ask' && spec.images) host.storeImages(spec.images);
  host.write(
    spec.kind === 'ask'
      ? {
          type: 'question',
          at,
          turn: p.turn,
          text: spec.question,
          ...(spec.focus ? { focus: spec.focus } : {}),
          ...(spec.editor ? { editor: spec.editor } : {}),
          ...(spec.images?.length ? { images: spec.images } : {}),
          ...(spec.mentions?.length ? { mentions: spec.mentions } : {}),
          ...(spec.shown ? { shown: spec.shown } : {}),
        }
      : { type: 'resume', at, turn: p.turn },
  );
}
