// `run_command`: the policy's prefixes decide whether it runs at once, asks the user, or is refused;
// then it runs in the workspace root (the front end's runner: a child process with a time limit,
// killed with its process group). The model gets the exit code and the output's tail, capped in
// tokens, secrets redacted: command output is a tool result like any other and never leaves the
// machine unredacted.
import { redactSecrets } from '../../context/secrets';
import { countTokens } from '../../context/tokens';
import { commandVerdict } from './commandPolicy';
import type { ApprovalPolicy, FrontEndPort, ToolSettings } from './ports';
import { plural, type ToolDetail, type ToolOutcome } from './toolResult';

type CommandDetail = Extract<ToolDetail, { kind: 'command' }>;

/** Bytes of output kept per token of the cap: the tail is cut to tokens after (code output runs 3-4 bytes a token). */
const BYTES_PER_TOKEN_KEPT = 6;

/** The end of `text` within `maxTokens` (tokens), cut at a line start where it can be. */
export function tailWithin(text: string, maxTokens: number): { text: string; cut: boolean } {
  if (countTokens(text) <= maxTokens) return { text, cut: false };
  let lo = 0;
  let hi = text.length;
  // The shortest cut from the start that fits (token counts grow with the text kept).
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (countTokens(text.slice(mid)) <= maxTokens) hi = mid;
    else lo = mid + 1;
  }
  const nl = text.indexOf('\n', lo);
  return { text: text.slice(nl >= 0 && nl < text.length - 1 ? nl + 1 : lo), cut: true };
}

/** Runs `run_command` for `command` under the policy. */
export async function runCommandTool(
  command: string,
  ports: { frontEnd: FrontEndPort; policy: ApprovalPolicy },
  settings: ToolSettings,
  signal?: AbortSignal,
): Promise<ToolOutcome> {
  const detail: CommandDetail = { kind: 'command', command, approval: 'policy' };
  const verdict = commandVerdict(ports.policy, command);
  if (verdict === 'refuse') {
    const allowed = ports.policy.commands.allowed;
    const why = allowed.length
      ? `only commands starting with ${allowed.map((p) => `\`${p}\``).join(', ')} may run in this session, ` +
        `without shell operators`
      : 'running commands is not allowed in this session';
    return refused(`Not run: ${why}.`, { ...detail, approval: 'refused' });
  }
  if (verdict === 'ask') {
    const answer = await ports.frontEnd.approveCommand(command, signal);
    if (!answer.approved)
      return refused(`Not run: the user declined to run it${answer.reason ? `: "${answer.reason}"` : ''}.`, {
        ...detail,
        approval: 'declined',
      });
    detail.approval = answer.alwaysPrefix ? 'always' : 'user';
  }
  const run = await ports.frontEnd.runCommand(command, {
    timeoutMs: settings.commandTimeoutMs,
    maxOutputBytes: settings.commandOutputTokens * BYTES_PER_TOKEN_KEPT,
    ...(signal ? { signal } : {}),
  });
  const tail = tailWithin(run.output, settings.commandOutputTokens);
  const output = redactSecrets(tail.text).text;
  const cut = tail.cut || run.droppedBytes > 0;
  const seconds = Math.round(settings.commandTimeoutMs / 1000);
  const ended = run.timedOut
    ? `killed after ${seconds} s, the time limit (it may wait for input or never end)`
    : signal?.aborted
      ? 'stopped by the user'
      : run.exitCode === null
        ? `ended by signal ${run.signal ?? 'unknown'}`
        : `exit code ${run.exitCode}`;
  const head = `$ ${command}\n${ended}\n`;
  const note = cut ? `(only the last ${plural(settings.commandOutputTokens, 'token')} of the output)\n` : '';
  const body = output ? `${note}${output}${output.endsWith('\n') ? '' : '\n'}` : '(no output)\n';
  return {
    ok: run.exitCode === 0 && !run.timedOut,
    content: head + body,
    summary: `\`${command.length > 80 ? `${command.slice(0, 80)}…` : command}\`: ${ended}`,
    detail: { ...detail, exitCode: run.exitCode, timedOut: run.timedOut, output },
  };
}

function refused(content: string, detail: CommandDetail): ToolOutcome {
  return { ok: false, content, summary: content, detail };
}
