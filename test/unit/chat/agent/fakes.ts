// Fakes of the agent's ports for unit tests: a workspace held in memory (with the refusals the real
// one gives for a few marked paths) and a front end that records what it was asked and answers as
// scripted.
import type {
  ChangeSet,
  CommandApproval,
  CommandRun,
  FileDecision,
  FrontEndPort,
  Problem,
  WorkspacePort,
} from '../../../../src/chat/agent/ports';

/** A workspace of `files` (path → text); paths in `refused` are refused with their reason. */
export function memoryWorkspace(
  files: Record<string, string>,
  refused: Record<string, string> = {},
): WorkspacePort & {
  files: Record<string, string>;
} {
  return {
    files,
    readFiles: async (paths) =>
      paths.map((p) =>
        refused[p]
          ? { path: p, ok: false, reason: refused[p] }
          : files[p] === undefined
            ? { path: p, ok: false, reason: 'no such file' }
            : { path: p, ok: true, text: files[p], redactions: 0 },
      ),
    search: async (q) => {
      const re = new RegExp(q.pattern);
      const matches = Object.entries(files).flatMap(([path, text]) =>
        text.split('\n').flatMap((line, i) => (re.test(line) ? [{ path, line: i + 1, text: line }] : [])),
      );
      return {
        ok: true,
        matches: matches.slice(0, q.maxMatches),
        more: Math.max(0, matches.length - q.maxMatches),
        filesSearched: Object.keys(files).length,
      };
    },
    editTargets: async (paths) =>
      paths.map((p) =>
        refused[p]
          ? { path: p, ok: false, reason: refused[p] }
          : { path: p, ok: true, text: files[p], abs: `/ws/${p}` },
      ),
  };
}

export interface FrontEndScript {
  /** Per path: what the user decides in review (default: accept). */
  review?: Record<string, Omit<FileDecision, 'path'>>;
  approve?: (command: string) => CommandApproval;
  run?: (
    command: string,
    options: { timeoutMs: number; maxOutputBytes: number; signal?: AbortSignal },
  ) => Promise<CommandRun> | CommandRun;
  problems?: Problem[];
}

/** A front end that applies accepted changes to `workspace.files` and records every request. */
export function scriptedFrontEnd(workspace: { files: Record<string, string> }, script: FrontEndScript = {}) {
  const calls: { proposed: ChangeSet[]; applied: ChangeSet[]; approvals: string[]; runs: string[] } = {
    proposed: [],
    applied: [],
    approvals: [],
    runs: [],
  };
  const write = (c: ChangeSet, decide: (path: string) => Omit<FileDecision, 'path'>): FileDecision[] =>
    c.files.map((f) => {
      const d = decide(f.path);
      if (d.state === 'applied') workspace.files[f.path] = d.text ?? f.after;
      return { path: f.path, ...d };
    });
  const port: FrontEndPort = {
    proposeEdits: async (c) => {
      calls.proposed.push(c);
      return write(c, (p) => script.review?.[p] ?? { state: 'applied' });
    },
    applyEdits: async (c) => {
      calls.applied.push(c);
      return write(c, () => ({ state: 'applied' }));
    },
    approveCommand: async (command) => {
      calls.approvals.push(command);
      return script.approve?.(command) ?? { approved: true };
    },
    runCommand: async (command, options) => {
      calls.runs.push(command);
      return script.run
        ? script.run(command, options)
        : { exitCode: 0, timedOut: false, output: 'ok\n', droppedBytes: 0 };
    },
    problems: async (paths) =>
      script.problems && (paths ? script.problems.filter((p) => paths.includes(p.path)) : script.problems),
  };
  return { port, calls };
}

/** A workspace and front end over a MemoryRepo's files: accepted edits change the repository itself. */
export function repoPorts(repo: { files: Map<string, string> }, script: FrontEndScript = {}) {
  const files = new Proxy(
    {},
    {
      get: (_t, p) => (typeof p === 'string' ? repo.files.get(p) : undefined),
      set: (_t, p, v) => (repo.files.set(String(p), String(v)), true),
      ownKeys: () => [...repo.files.keys()],
      getOwnPropertyDescriptor: (_t, p) =>
        typeof p === 'string' && repo.files.has(p)
          ? { enumerable: true, configurable: true, value: repo.files.get(p) }
          : undefined,
    },
  );
  const workspace = memoryWorkspace(files);
  const fe = scriptedFrontEnd(workspace, script);
  return { workspace, frontEnd: fe.port, calls: fe.calls };
}
