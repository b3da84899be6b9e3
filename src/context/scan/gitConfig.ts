// Reads the few git config values the scan needs (core.excludesFile, core.ignoreCase,
// extensions.objectFormat) straight from the config files, so the scan works without git
// installed. Order as git reads them: system, global (XDG then ~/.gitconfig), repository; later wins.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Environment the git lookups depend on (tests pass a fake home). */
export interface GitEnv {
  home?: string;
  xdgConfigHome?: string;
}

export type GitConfig = Map<string, string>;

/** Parses git config text into `section.sub.key` -> last value; follows `[include] path`. */
export function parseGitConfig(
  text: string,
  file: string,
  into: GitConfig = new Map(),
  env: GitEnv = {},
  depth = 0,
): GitConfig {
  let section = '';
  for (const rawLine of text.split(/\r?\n/)) {
    let line = rawLine.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[\s*([A-Za-z0-9.-]+)(?:\s+"((?:[^"\\]|\\.)*)")?\s*\](.*)$/.exec(line);
    if (header) {
      const [, name, sub] = header;
      section = sub !== undefined ? `${name!.toLowerCase()}.${sub}` : name!.toLowerCase();
      line = header[3]!.trim();
      if (!line) continue;
    }
    const kv = /^([A-Za-z][A-Za-z0-9-]*)\s*(?:=\s*(.*))?$/.exec(line);
    if (!kv || !section) continue;
    const key = `${section}.${kv[1]!.toLowerCase()}`;
    const value = kv[2] === undefined ? 'true' : unquote(kv[2]);
    into.set(key, value);
    if (key === 'include.path' && depth < 5) {
      const target = expandPath(value, env, path.dirname(file));
      const inc = readIfExists(target);
      if (inc !== undefined) parseGitConfig(inc, target, into, env, depth + 1);
    }
  }
  return into;
}

function unquote(raw: string): string {
  let out = '';
  let quoted = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === '"') quoted = !quoted;
    else if (c === '\\' && i + 1 < raw.length) {
      const n = raw[++i]!;
      out += n === 'n' ? '\n' : n === 't' ? '\t' : n;
    } else if (!quoted && (c === '#' || c === ';')) break;
    else out += c;
  }
  return out.trim();
}

/** Expands `~/` and makes a relative path absolute against `relativeTo`. */
export function expandPath(p: string, env: GitEnv, relativeTo: string): string {
  if ((p === '~' || p.startsWith('~/')) && env.home) return path.join(env.home, p.slice(1));
  return path.resolve(relativeTo, p);
}

export function readIfExists(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** The XDG config dir for git: $XDG_CONFIG_HOME/git or ~/.config/git. */
export function xdgGitDir(env: GitEnv): string | undefined {
  if (env.xdgConfigHome) return path.join(env.xdgConfigHome, 'git');
  return env.home ? path.join(env.home, '.config', 'git') : undefined;
}

/** The merged config: system, global and (if given) the repository's own config file. */
export function readGitConfig(env: GitEnv, repoConfigFile?: string): GitConfig {
  const config: GitConfig = new Map();
  const xdg = xdgGitDir(env);
  const files = [
    '/etc/gitconfig',
    xdg && path.join(xdg, 'config'),
    env.home && path.join(env.home, '.gitconfig'),
    repoConfigFile,
  ];
  for (const f of files) {
    if (!f) continue;
    const text = readIfExists(f);
    if (text !== undefined) parseGitConfig(text, f, config, env);
  }
  return config;
}

/** The global excludes file git would read: core.excludesFile, else $XDG_CONFIG_HOME/git/ignore. */
export function excludesFilePath(config: GitConfig, env: GitEnv): string | undefined {
  const v = config.get('core.excludesfile');
  if (v) return expandPath(v, env, env.home ?? '/');
  const xdg = xdgGitDir(env);
  return xdg && path.join(xdg, 'ignore');
}
