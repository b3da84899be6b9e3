// A turn whose request carries images, on a model that may not read them: before planning, the
// turn asks whether the model reads images (a refusal seen in this process, the endpoint's report,
// capabilities.json); where it does not, nothing is sent and the front end chooses the vision model
// (`deepseekRepo.fastModel`: the conversation goes on with it), the question without its images, or
// nothing. Where it was unknown and the server refused the images, the same choice is offered and
// the question is asked again in place of the refused try.
import { nullLogger } from '../shared/log';
import { imagesOf, turnsOf } from './conversation';
import { offerMessage, unsupportedMessage, visionAt, type ImagesOffer } from './questionImages';
import { endpointKey, type RequestSpec } from './requestPlan';
import type { AskOptions, SessionListener, TurnEnd } from './sessionTypes';
import { notSent } from './turnEnd';
import type { TurnHost } from './turnHost';

/** The images a request of `spec` carries: earlier turns' (up to `keep`) and the question's own. */
function imagesIn(host: TurnHost, spec: RequestSpec): { earlier: number; own: number; bytes: number } {
  const state = host.state();
  const earlier = spec.kind === 'ask' ? imagesOf(state, spec.keep) : imagesOf(state);
  const own = spec.kind === 'ask' ? (spec.images ?? []) : [];
  return {
    earlier: earlier.length,
    own: own.length,
    bytes: [...earlier, ...own].reduce((n, r) => n + r.bytes, 0),
  };
}

/** Whether `model` reads images: a refusal seen, the endpoint's report, the data file (capabilities.json). */
async function vision(host: TurnHost, endpoint: string, model: string) {
  let reported: boolean | undefined;
  try {
    reported = (await host.ports.modelVision?.(model)) ?? undefined;
  } catch (e) {
    (host.ports.log ?? nullLogger).warn(`whether ${model} reads images is unknown (${(e as Error).message})`);
  }
  return visionAt(endpoint, model, reported);
}

/**
 * `spec` as it may be sent: unchanged when it carries no images or its model reads them (or may:
 * unknown); else switched to the vision model or stripped of its images as the user chose, or the
 * turn's end (not sent) when there is nobody to ask or the user declined. `refused`: the server
 * refused the images just now.
 */
export async function gateImages(
  host: TurnHost,
  step: { spec: RequestSpec; refused: boolean; options: AskOptions; emit: SessionListener },
): Promise<RequestSpec | TurnEnd> {
  const { spec, refused, options, emit } = step;
  const state = host.state();
  const endpoint = endpointKey((await host.ports.client()).baseUrl);
  const model = spec.kind === 'ask' && spec.model ? spec.model : state.params.model;
  const n = imagesIn(host, spec);
  if (!n.earlier && !n.own) return spec;
  if (!refused && (await vision(host, endpoint, model)) !== 'no') return spec;
  const offered = host.ports.visionModel;
  const visionModel =
    offered && offered !== model && (await vision(host, endpoint, offered)) !== 'no' ? offered : undefined;
  const base = {
    model,
    ...(visionModel ? { visionModel } : {}),
    canDrop: !n.earlier,
    refused,
    count: n.earlier + n.own,
    bytes: n.bytes,
  };
  const turn = spec.kind === 'ask' ? (spec.keep ?? turnsOf(state).length) : turnsOf(state).length - 1;
  const offer: ImagesOffer = { ...base, message: offerMessage(base, turn === 0) };
  if (!options.chooseForImages)
    return notSent(host, emit, {
      turn,
      outcome: 'error',
      error: { kind: 'images_unsupported', message: unsupportedMessage(model, visionModel) },
    });
  const choice = await options.chooseForImages(offer);
  if (choice === 'switch' && visionModel && spec.kind === 'ask') {
    if (!host.isNew()) return { ...spec, model: visionModel };
    host.startOn(visionModel);
    const { model: _m, ...rest } = spec;
    return rest;
  }
  if (choice === 'drop' && offer.canDrop && spec.kind === 'ask') {
    const { images: _i, ...rest } = spec;
    return rest;
  }
  return notSent(host, emit, { turn, outcome: 'cancelled' });
}
