// Whether a command may run without asking, as the approval policy (data) says. "Always allow
// `npm test`" must not allow `npm test; curl … | sh`: a prefix allows a command only when the command
// is the prefix, or the prefix followed by plain arguments, with no shell operator anywhere
// (`;`, `&`, `|`, redirections, substitutions, a newline). Allowing any command is `''`.
import type { ApprovalPolicy } from './ports';

/** Characters that chain, redirect or substitute commands in POSIX shells and cmd.exe. */
const SHELL_OPERATORS = /[;&|<>`\n\r]|\$\(|\$\{/;

/** True when `command` runs without asking under `prefixes` (see the header). */
export function commandAllowed(command: string, prefixes: readonly string[]): boolean {
  const c = command.trim();
  if (prefixes.includes('')) return true;
  if (SHELL_OPERATORS.test(c)) return false;
  return prefixes.some((p) => {
    const prefix = p.trim();
    return !!prefix && (c === prefix || c.startsWith(`${prefix} `));
  });
}

/** What happens to `command`: it runs, the user is asked, or it is refused. */
export function commandVerdict(policy: ApprovalPolicy, command: string): 'run' | 'ask' | 'refuse' {
  if (commandAllowed(command, policy.commands.allowed)) return 'run';
  return policy.commands.ask ? 'ask' : 'refuse';
}

/**
 * The prefix an "always allow" offers for `command`: its first two words (`npm test`, `cargo build`), or one for a lone
 * word.
 */
export function suggestedPrefix(command: string): string {
  const words = command.trim().split(/\s+/);
  return words.slice(0, words.length > 1 && !words[1]!.startsWith('-') ? 2 : 1).join(' ');
}
