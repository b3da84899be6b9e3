// Keeps one webview in step with the host: the `ready` handshake (init, then the transcript; a
// reloaded webview's conversation is reopened), the host's state the view shows (key, trust, folder,
// the model picker with the windows the endpoint reports, the model and effort chosen for the next
// conversation) and the composer's editor chip. No vscode: the host's state comes in as functions.
import type { ListedModels } from '../llm/types';
import { pickerModels, type Effort, type HostConfig, type Surface } from '../protocol/messages';
import type { SessionBackend } from './sessionBackend';
import type { ViewChannel } from './viewChannel';
import type { HandlersOf } from './viewPorts';
import type { Choice } from './viewChoice';

/** The host's side of the view's config, as the settings, the key store and the workspace say. */
export interface HostState {
  hasKey: boolean;
  /** No key is set and the endpoint is on this machine (asked without one): its `host:port`. */
  localEndpoint?: string | undefined;
  trusted: boolean;
  hasWorkspace: boolean;
  /** Model ids the settings name (the main and the fast model). */
  configuredModels: string[];
  /** The user set a context window for every model (then no window is named in the picker). */
  windowSet: boolean;
}

/** Where the user's editor is: the chip's `label` (`src/a.ts:10-20`) and the `note` a question sends. */
export interface EditorPlace {
  label: string;
  note: string;
}

export interface SyncDeps {
  channel: ViewChannel;
  surface: Surface;
  backend: SessionBackend;
  hostState(): Promise<HostState>;
  /** Model ids the endpoint lists and the windows it reports (cached by the host; empty when unknown). */
  models(): Promise<ListedModels>;
  editorPlace(): EditorPlace | undefined;
  /** Model and effort for the next conversation, until the user picks others; `act`: the composer's mode. */
  options: ViewOptions;
  /** Remembers the composer's mode for this workspace. */
  saveMode?(act: boolean): void;
  /** Remembers the pickers' model and effort for this workspace and view (viewChoice.ts). */
  saveChoice?(choice: Choice): void;
}

/** What the view's next question goes with: model and effort (a new conversation's), and the mode. */
export interface ViewOptions {
  model: string;
  effort: Effort;
  /** Act (the model may read, edit, run and check) rather than answer only. */
  act?: boolean;
}

/** The view's config: the picker offers the configured models, then the endpoint's (DeepSeek's first). */
export function hostConfig(state: HostState, options: ViewOptions, listed: ListedModels): HostConfig {
  const models = pickerModels([...state.configuredModels, options.model], listed.models);
  const windows = models.flatMap((id) => {
    const tokens = listed.windows.get(id);
    return tokens === undefined ? [] : [{ id, tokens }];
  });
  return {
    hasKey: state.hasKey,
    ...(state.localEndpoint !== undefined ? { localEndpoint: state.localEndpoint } : {}),
    trusted: state.trusted,
    hasWorkspace: state.hasWorkspace,
    models,
    // A window set by the user applies to every model: then none is named.
    ...(windows.length && !state.windowSet ? { windows } : {}),
    model: options.model,
    effort: options.effort,
    ...(options.act !== undefined ? { act: options.act } : {}),
  };
}

export class ViewSync {
  private current: ViewOptions;
  private listed: ListedModels = { models: [], windows: new Map() };
  /** What the webview was last told of the editor (`sendEditor`). */
  private editorSent: string | undefined;
  /** What a command asked of the view before it was ready (Focus Chat Input, Show Chat History). */
  private whenReady: 'focusInput' | 'showHistory' | undefined;

  constructor(private readonly deps: SyncDeps) {
    this.current = { ...deps.options };
  }

  /** Model and effort for the next conversation, and the mode. */
  get options(): ViewOptions {
    return this.current;
  }

  readonly handlers: HandlersOf<'ready' | 'setOptions' | 'setMode'> = {
    ready: async (m) => {
      const { channel, backend } = this.deps;
      // After a window reload the host has nothing open: reopen what the webview still shows.
      const reopened =
        !channel.transcript.turns.length && m.conversationId ? await backend.open(m.conversationId) : undefined;
      await channel.open(
        async () => ({ type: 'init', surface: this.deps.surface, config: await this.config() }),
        reopened,
      );
      this.editorSent = undefined; // a reloaded webview knows nothing yet
      this.sendEditor();
      if (this.whenReady) void channel.send({ type: this.whenReady });
      this.whenReady = undefined;
      void this.refreshModels();
    },
    setOptions: (m) => {
      this.current = { ...this.current, model: m.model ?? this.current.model, effort: m.effort ?? this.current.effort };
      this.deps.saveChoice?.({ model: this.current.model, effort: this.current.effort });
      return this.sendConfig();
    },
    setMode: (m) => {
      this.current = { ...this.current, act: m.act };
      this.deps.saveMode?.(m.act);
      return this.sendConfig();
    },
  };

  /**
   * The picker shows `options` (and they apply to the next conversation), as if the user had picked them; the mode
   * stays as it is (the turns act or not by the mode the host keeps).
   */
  show(options: Choice): Promise<void> {
    if (options.model === this.current.model && options.effort === this.current.effort) return Promise.resolve();
    this.current = { ...this.current, ...options };
    return this.sendConfig();
  }

  /** The key, trust, settings or folders changed: the view is told, and the endpoint's models asked again. */
  async refresh(): Promise<void> {
    await this.sendConfig();
    await this.refreshModels();
  }

  /** Puts the caret in the webview's question box, now or once it is ready (Focus Chat Input). */
  focusInput(): void {
    this.uiRequest('focusInput');
  }

  /** Opens the webview's list of past conversations, now or once it is ready (Show Chat History). */
  showHistory(): void {
    this.uiRequest('showHistory');
  }

  private uiRequest(type: 'focusInput' | 'showHistory'): void {
    if (this.deps.channel.isReady) void this.deps.channel.send({ type });
    else this.whenReady = type;
  }

  /** Tells the composer where the user's editor is (for its chip), when that changed since last told. */
  sendEditor(): void {
    const place = this.deps.editorPlace();
    const key = JSON.stringify(place ?? null);
    if (!this.deps.channel.isReady || key === this.editorSent) return;
    this.editorSent = key;
    void this.deps.channel.send({ type: 'editor', ...(place ?? {}) });
  }

  private async config(): Promise<HostConfig> {
    return hostConfig(await this.deps.hostState(), this.current, this.listed);
  }

  /** Offers the endpoint's own models in the picker once `GET /models` answered (never delays the view). */
  private async refreshModels(): Promise<void> {
    const listed = await this.deps.models();
    if (
      listed.models.join('\n') === this.listed.models.join('\n') &&
      [...listed.windows].join() === [...this.listed.windows].join()
    )
      return;
    this.listed = listed;
    await this.sendConfig();
  }

  private async sendConfig(): Promise<void> {
    if (this.deps.channel.isReady) void this.deps.channel.send({ type: 'config', config: await this.config() });
  }
}
