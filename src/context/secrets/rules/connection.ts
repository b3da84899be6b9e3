// Passwords inside connection strings: URL userinfo (`postgres://user:pw@host`, mongodb+srv, redis,
// amqp, mysql, https basic auth, JDBC URLs), `password=` parameters of JDBC/ADO.NET/ODBC strings
// (`Server=…;User ID=…;Password=…;`) and Oracle's `user/password@host`. Only the password is
// replaced: the model still sees the driver, host and database. Passwords are user-chosen and often
// guessable, so their placeholder carries no tag.
import { isPlaceholderPassword } from '../allow';
import { anchoredRule, PRIORITY, regexRule, type SecretRule } from '../rule';

/** Hosts reserved for documentation (RFC 2606/6761): `https://user:pass@example.com` is an example. */
const DOCUMENTATION_HOST = /^(?:[\w-]+\.)*(?:example\.(?:com|net|org)|[\w-]+\.(?:example|invalid|test))(?![\w.-])/i;

/** After the value: another `Key=` pair of the same string follows. */
const NEXT_PAIR = /[ \t]*;[ \t]*[A-Za-z][A-Za-z ]{0,30}=/y;

/**
 * A `password=` inside a key=value list: preceded by `;`, `?` or `&` (a parameter), or first in a
 * string whose next pair follows (`"Password=…;Server=…"`). A lone `password = …` line is left to the
 * generic rule.
 */
function inKeyValueList(m: RegExpExecArray, text: string): boolean {
  let i = m.index - 1;
  while (i >= 0 && (text[i] === ' ' || text[i] === '\t')) i--;
  const before = i < 0 ? '\n' : text[i]!;
  if (before === ';' || before === '?' || before === '&') return true;
  if (i === m.index - 1 && !/[\n\r"'`=>(,]/.test(before)) return false; // part of a longer name: DB_PASSWORD, myPwd
  NEXT_PAIR.lastIndex = m.index + m[0].length;
  return NEXT_PAIR.test(text);
}

export const CONNECTION_RULES: SecretRule[] = [
  anchoredRule({
    id: 'url-password',
    priority: PRIORITY.connection,
    tagged: false,
    anchor: '://',
    back: [2, 31],
    pattern:
      /(?<![A-Za-z0-9_-])[A-Za-z][A-Za-z0-9+.-]{1,30}:\/\/(?<u>[^\s:@/?#'"<>`]{0,128}):(?<s>[^\s@/'"<>`]{1,256})@(?=[A-Za-z0-9[._-])/dy,
    validate: (s, m, text) =>
      !isPlaceholderPassword(s, m.groups?.u ?? '') &&
      !DOCUMENTATION_HOST.test(text.slice(m.index + m[0].length, m.index + m[0].length + 100)),
  }),
  regexRule({
    // JDBC/ADO.NET/ODBC parameters: `;Password=…;`, `?password=…&`, `;PWD=…`, `"Password=…;Server=…"`.
    id: 'connection-string-password',
    priority: PRIORITY.connection,
    tagged: false,
    pattern:
      /(?:[Pp]ass(?:word|wd)|PASS(?:WORD|WD)|[Pp]wd|PWD)[ \t]*=[ \t]*(?<s>[^;&"'`\r\n<]{1,200}?)[ \t]*(?=[;&"'`\r\n<]|$)/dg,
    validate: (s, m, text) => inKeyValueList(m, text) && !isPlaceholderPassword(s),
  }),
  regexRule({
    id: 'connection-string-password',
    priority: PRIORITY.connection,
    tagged: false,
    pattern: /(?<![A-Za-z0-9_-])jdbc:oracle:[a-z]{1,10}:(?<u>[^\s/@:'"]{1,128})\/(?<s>[^\s@'"]{1,128})@/dg,
    validate: (s, m) => !isPlaceholderPassword(s, m.groups?.u ?? ''),
  }),
];
