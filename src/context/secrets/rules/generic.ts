// Generic assignments: a secret-named key (`DB_PASSWORD`, `apiKey`, `client_secret`, `"token":`,
// `<password>`) given a literal value in code, JSON, YAML, TOML, INI, .properties, XML or env
// syntax. AWS secret access keys, which have no prefix of their own, are recognised here too.
// The scan is keyword-driven and linear: each keyword hit looks at one bounded identifier,
// one operator and one value. Values must clear entropy floors and not be a placeholder, a
// reference (`${VAR}`, `process.env.X`), a path, a URL, a type name or prose.
import { isPlaceholderValue } from '../allow';
import { charClasses, isWordLike, shannonEntropy } from '../entropy';
import { PRIORITY, type ScanInput, type SecretRule, type Span } from '../rule';
import { identifierWords, secretKind, type SecretKind } from './secretNames';

// Case variants instead of the i flag: V8 skips ahead much faster on literals.
const HIT =
  /pass|Pass|PASS|pwd|Pwd|PWD|secret|Secret|SECRET|token|Token|TOKEN|key|Key|KEY|credential|Credential|CREDENTIAL|auth|Auth|AUTH/g;
const MAX_IDENT = 80;
const MAX_VALUE = 1000;

/** `:` / `=` / `:=` / `=>` / `?=` / `||=` / `??=`, or a type annotation then `=` (`apiKey: string =`). */
const OPERATOR =
  /[ \t]{0,16}(?::[ \t]{0,4}[A-Za-z_][\w.<>[\]|?, ]{0,40}?[ \t]+=(?![=>~])|:=|=>|\?\?=|\|\|=|\?=|=(?![=~])|:(?![:=]))[ \t]{0,16}/y;
/** .NET appSettings: `<add key="DbPassword" value="…" />`. */
const DOTNET_VALUE = /[ \t]+value[ \t]*=[ \t]*/y;
/** What may precede a key at the start of a line for an unquoted value to count (env files, YAML lists, shells). */
const LINE_PREFIX = /^[ \t]*(?:(?:export|set|setx|declare(?: -x)?|readonly|local|ENV|ARG|-)[ \t]+)?$/;

const isIdentChar = (c: number) =>
  (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 45;
const isQuote = (c: string | undefined) => c === '"' || c === "'" || c === '`';

/** A quoted literal starting at `open` (the quote): `[start, end)` of its content, or undefined. */
function quoted(text: string, open: number): Span | undefined {
  const q = text[open];
  const limit = Math.min(text.length, open + 1 + MAX_VALUE);
  for (let i = open + 1; i < limit; i++) {
    const c = text[i];
    if (c === q) return [open + 1, i];
    if (c === '\n' || c === '\r') return undefined;
    if (c === '\\') i++;
  }
  return undefined;
}

/**
 * Code, not a literal: calls and literals with brackets, or member access made of words (`source.stencilZPass`,
 * `this.#auth`).
 */
function isCode(v: string): boolean {
  if (/[()[\]{}<>]/.test(v)) return true;
  if (!/^[A-Za-z_$#][\w$#]*(?:\??\.[A-Za-z_$#][\w$#]*)+$/.test(v)) return false;
  return v.split(/\??\./).every((part) => part.length <= 4 || isWordLike(part.replace(/^#/, '')));
}

/** An unquoted value: a `--flag=` value up to whitespace, else one running to the end of the line (comments aside). */
function unquoted(text: string, start: number, flag: boolean): Span | undefined {
  const limit = Math.min(text.length, start + MAX_VALUE);
  let end = start;
  while (end < limit && !/\s/.test(text[end]!)) end++;
  let rest = end;
  while (rest < text.length && (text[rest] === ' ' || text[rest] === '\t')) rest++;
  const next = text[rest];
  const atEnd =
    next === undefined || next === '\n' || next === '\r' || next === '#' || next === ';' || text.startsWith('//', rest);
  if (!atEnd && !flag) return undefined;
  while (end > start && (text[end - 1] === ',' || text[end - 1] === ';')) end--;
  return end > start && !isCode(text.slice(start, end)) ? [start, end] : undefined;
}

/** True when the key starts its line (env, YAML, INI, .properties), so a bare value counts. */
function keyStartsLine(text: string, identStart: number): boolean {
  let i = identStart - 1;
  while (i >= 0 && identStart - i <= 40 && text[i] !== '\n' && text[i] !== '\r') i--;
  if (i >= 0 && text[i] !== '\n' && text[i] !== '\r') return false;
  return LINE_PREFIX.test(text.slice(i + 1, identStart));
}

/** Where the value of the key `[identStart, identEnd)` is, if the key is assigned a literal. */
function valueSpan(text: string, identStart: number, identEnd: number): Span | undefined {
  const before = text[identStart - 1];
  let pos = identEnd;
  if (before === '<') {
    // <password>value</password>
    if (text[pos] !== '>') return undefined;
    const limit = Math.min(text.length, pos + 1 + MAX_VALUE);
    for (let i = pos + 1; i < limit; i++) {
      if (text[i] === '<') return text[i + 1] === '/' ? [pos + 1, i] : undefined;
      if (text[i] === '\n' || text[i] === '\r') return undefined;
    }
    return undefined;
  }
  if (isQuote(before) && text[pos] === before) {
    pos++;
    DOTNET_VALUE.lastIndex = pos;
    if (DOTNET_VALUE.test(text))
      return isQuote(text[DOTNET_VALUE.lastIndex]) ? quoted(text, DOTNET_VALUE.lastIndex) : undefined;
  }
  if (text[pos] === ']') pos++;
  OPERATOR.lastIndex = pos;
  const op = OPERATOR.exec(text);
  if (!op) return undefined;
  pos = OPERATOR.lastIndex;
  if (/^[rRbBuUfF]$/.test(text[pos] ?? '') && isQuote(text[pos + 1])) pos++;
  if (isQuote(text[pos])) return quoted(text, pos);
  const flag = text.startsWith('--', identStart) && op[0] === '=';
  if (flag) return unquoted(text, pos, true);
  const bare = /^(?::|=|:=|\?=)$/.test(op[0].trim());
  return bare && keyStartsLine(text, identStart) ? unquoted(text, pos, false) : undefined;
}

// Values that are something else: paths, file names, URLs, digests, data URIs, numbers, versions,
// validation-rule lists (`required|min:8`) and regular expressions.
const NOT_A_SECRET = [
  /\.(?:pem|key|p12|pfx|jks|json|txt|ya?ml|env|crt|cer|der|keystore|properties|xml|js|ts)$/i,
  /^[a-z][a-z0-9+.-]*:\/\//i,
  /^(?:sha(?:1|256|384|512)|md5)[-:]/i,
  /^data:/,
  /^(?:0x[0-9a-f]+|[0-9][0-9_.]*[a-z]{0,2})$/i,
  /^[a-z_]+(?::[^|]*)?(?:\|[a-z_]+(?::[^|]*)?)+$/,
  /^\^.*\$$/,
  /%[sd]|\{\d*\}|\(\?[:=!<]|\\[dwsbDWSB]/, // format strings and regular expressions
];

/** `/etc/app/key`, `./certs`, `~/.ssh/id_rsa`, `C:\\keys\\app`: segments that are names, not random runs. */
function isPath(v: string): boolean {
  if (!/^(?:\/|\.\.?\/|~\/|[A-Za-z]:\\)/.test(v)) return false;
  return v
    .split(/[/\\]/)
    .every((seg) => /^[\w.@~-]*$/.test(seg) && (seg.length <= 12 || seg.includes('.') || isWordLike(seg)));
}

function plausible(v: string): boolean {
  if (/[^\x21-\x7e]/.test(v)) return false; // whitespace or non-ASCII: prose, not a credential
  if (isPlaceholderValue(v) || isPath(v)) return false;
  return !NOT_A_SECRET.some((re) => re.test(v));
}

/** Password floors: user-chosen, so short and low-entropy values count, but words and type names do not. */
function passwordOk(v: string): boolean {
  if (v.length < 6 || v.length > 200 || !plausible(v)) return false;
  if (/[^A-Za-z]/.test(v)) return charClasses(v) >= 2 && shannonEntropy(v) >= 2.2;
  return v.length >= 8 && !isWordLike(v) && shannonEntropy(v) >= 2.8;
}

/** Token/key floors: machine-made values are long and random; identifiers and words are not. */
function secretOk(v: string): boolean {
  if (v.length < 10 || !plausible(v) || isWordLike(v)) return false;
  if (!/[0-9+/]/.test(v) && v.length < 24) return false;
  return shannonEntropy(v) >= 3;
}

const ACCEPT: Record<SecretKind, (v: string) => boolean> = { password: passwordOk, secret: secretOk };

type Found = SecretKind | 'aws';

interface Assignment {
  kind: Found;
  span: Span;
}

/** An AWS secret access key: 40 base64 characters under a name like `aws_secret_access_key` or `SecretAccessKey`. */
function isAwsSecret(ident: string, value: string): boolean {
  if (!/^[A-Za-z0-9/+]{40}$/.test(value) || shannonEntropy(value) < 3.8) return false;
  const words = identifierWords(ident);
  return words.includes('secret') && (words.includes('aws') || words.includes('access'));
}

/** `name: DB_PASSWORD` then `value: …` (Kubernetes env, ECS task definitions, CloudFormation): the name is the key. */
const NAME_VALUE =
  /(?:name|Name|key|Key)["']?[ \t]*[:=][ \t]*["']?(?<n>[A-Za-z_][\w.-]{0,79})["']?[ \t]*,?[ \t]*(?:\r?\n[ \t]*)?["']?(?<v>value|Value)["']?(?=[ \t]*[:=])/dg;

function accept(found: Assignment[], kind: SecretKind, name: string, span: Span | undefined, text: string): void {
  if (!span) return;
  const value = text.slice(span[0], span[1]);
  if (ACCEPT[kind](value)) found.push({ kind: kind === 'secret' && isAwsSecret(name, value) ? 'aws' : kind, span });
}

function findAssignments(text: string): Assignment[] {
  const found: Assignment[] = [];
  NAME_VALUE.lastIndex = 0;
  for (let m = NAME_VALUE.exec(text); m; m = NAME_VALUE.exec(text)) {
    if (isIdentChar(text.charCodeAt(m.index - 1))) continue;
    const kind = secretKind(m.groups!.n!);
    const [vStart, vEnd] = m.indices!.groups!.v!;
    if (kind) accept(found, kind, m.groups!.n!, valueSpan(text, vStart, vEnd), text);
  }
  HIT.lastIndex = 0;
  for (let m = HIT.exec(text); m; m = HIT.exec(text)) {
    let start = m.index;
    let end = m.index + m[0].length;
    while (start > 0 && m.index - start < MAX_IDENT && isIdentChar(text.charCodeAt(start - 1))) start--;
    while (end < text.length && end - m.index < MAX_IDENT && isIdentChar(text.charCodeAt(end))) end++;
    HIT.lastIndex = end;
    if (isIdentChar(text.charCodeAt(start - 1)) || isIdentChar(text.charCodeAt(end))) continue; // over-long identifier
    let j = end;
    if (isQuote(text[j])) j++;
    if (text[j] === ']') j++;
    const after = text[j];
    if (
      after !== '=' &&
      after !== ':' &&
      after !== '>' &&
      after !== ' ' &&
      after !== '\t' &&
      after !== '?' &&
      after !== '|'
    )
      continue;
    const name = text.slice(start, end);
    const kind = secretKind(name);
    if (kind) accept(found, kind, name, valueSpan(text, start, end), text);
  }
  return found;
}

// The three rules below share one pass over the text, made by whichever runs first.
const passes = new WeakMap<ScanInput, Assignment[]>();
function assignments(input: ScanInput, kind: Found): Span[] {
  let found = passes.get(input);
  if (!found) passes.set(input, (found = findAssignments(input.text)));
  return found.filter((a) => a.kind === kind).map((a) => a.span);
}

export const GENERIC_RULES: SecretRule[] = [
  {
    id: 'aws-secret-access-key',
    priority: PRIORITY.token,
    tagged: true,
    keywords: [],
    find: (input) => assignments(input, 'aws'),
  },
  {
    id: 'generic-password',
    priority: PRIORITY.generic,
    tagged: false,
    keywords: [],
    find: (input) => assignments(input, 'password'),
  },
  {
    id: 'generic-secret',
    priority: PRIORITY.generic,
    tagged: false,
    keywords: [],
    find: (input) => assignments(input, 'secret'),
  },
];
