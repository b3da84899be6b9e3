// The composer's mode (act, or answer only), remembered per workspace, and the agent's options for
// a turn when the mode is act: in a trusted workspace only (in Restricted Mode nothing is sent, and
// no tool that writes or runs is ever offered), with the user's limits and the workspace's allowed
// commands.
import * as vscode from 'vscode';
import type { AgentOptions } from '../chat/sessionTypes';
import type { FileDecision, ChangeSet } from '../chat/agent/ports';
import { readAgentSettings } from '../config';
import type { ToolViewSource } from '../chat/agent/workspacePort';
import type { WorkspaceRoot } from '../context/types';
import { AllowedCommands } from './allowedCommands';
import { vsAgent, vsPrompts, type AgentPrompts } from './agentPorts';
import type { AgentReviewOptions } from './agentReview';
import type { AgentView } from './sessionBackend';

const MODE_KEY = 'deepseekRepo.agent.act';

export interface AgentModeDeps {
  state: vscode.Memento;
  roots: () => WorkspaceRoot[];
  context: ToolViewSource;
  /** Shows a change set for review and resolves with the user's decision per file. */
  review: (changes: ChangeSet, opts: AgentReviewOptions) => Promise<FileDecision[]>;
}

export class AgentMode {
  readonly allowed: AllowedCommands;
  /** The questions a turn asks (the end-to-end tests answer them through the testing API). */
  prompts: AgentPrompts = vsPrompts;

  constructor(private readonly deps: AgentModeDeps) {
    this.allowed = new AllowedCommands(deps.state);
  }

  /** The composer's mode in this workspace (answer only until the user switches). */
  get act(): boolean {
    return this.deps.state.get<boolean>(MODE_KEY, false) === true;
  }

  async setAct(act: boolean): Promise<void> {
    await this.deps.state.update(MODE_KEY, act);
  }

  /** The agent's options for the next turn: undefined when answering only, untrusted, or without a folder. */
  options(view?: AgentView): AgentOptions | undefined {
    if (!this.act || !vscode.workspace.isTrusted || !this.deps.roots().length) return undefined;
    return vsAgent({
      roots: this.deps.roots,
      context: this.deps.context,
      allowed: this.allowed,
      settings: readAgentSettings,
      review: this.deps.review,
      prompts: this.prompts,
      ...(view ? { view } : {}),
    });
  }
}
