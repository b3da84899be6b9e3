// Kubernetes Secret manifests: in a YAML document of `kind: Secret`, every value under the top-level
// `data:` (base64) and `stringData:` (plain) maps is a secret by definition, whatever its key is
// called (`tls.crt`, `config.json`, `DATABASE_URL`). Helm templates (`{{ .Values.x }}`) are
// references and stay. ConfigMaps, SealedSecrets and ExternalSecrets are other kinds and stay.
import { isPlaceholderValue } from '../allow';
import { PRIORITY, type ScanInput, type SecretRule, type Span } from '../rule';

const KIND = /^kind:[ \t]*["']?Secret["']?[ \t]*\r?$/gm;
const DATA = /^(?:data|stringData):[ \t]*\r?$/gm;
/** An entry of the map: indented `key: value`, the value optionally quoted. */
const ENTRY =
  /(?<indent>[ \t]+)["']?[\w.-]{1,253}["']?:[ \t]*(?:(["'])(?<quoted>.*?)\2|(?<block>[|>][-+0-9]{0,3})|(?<plain>[^\s#][^\r\n]*?))[ \t]*\r?$/dmy;

/** Values of one `data:` map that starts at `start`, up to the first line that is not one of its entries. */
function mapValues(text: string, start: number, end: number, spans: Span[]): void {
  for (let i = start; i < end;) {
    const nl = text.indexOf('\n', i);
    const lineEnd = nl < 0 || nl > end ? end : nl;
    ENTRY.lastIndex = i;
    const m = ENTRY.exec(text);
    if (!m || m.index + m[0].length > lineEnd) {
      if (!/^[ \t]*\r?$/.test(text.slice(i, lineEnd))) return;
      i = lineEnd + 1; // a blank line inside the map
      continue;
    }
    const g = m.groups!;
    const at = m.indices!.groups!;
    i = lineEnd + 1;
    if (g.block !== undefined) {
      // A block scalar: the lines indented deeper than the key are the value.
      while (i < end) {
        const next = text.indexOf('\n', i);
        const e = next < 0 || next > end ? end : next;
        const line = text.slice(i, e);
        if (!line.startsWith(g.indent!) || !/^[ \t]/.test(line.slice(g.indent!.length))) break;
        const content = line.trim();
        if (content) spans.push([i + line.indexOf(content), i + line.indexOf(content) + content.length]);
        i = e + 1;
      }
      continue;
    }
    const value = g.quoted ?? g.plain ?? '';
    const range = at.quoted ?? at.plain;
    if (range && value && !isPlaceholderValue(value)) spans.push([range[0], range[1]]);
  }
}

function findSecretData(input: ScanInput): Span[] {
  const text = input.text;
  const spans: Span[] = [];
  // Documents are read in order with one forward cursor over the `---` separators: linear overall.
  let docStart = 0;
  let next = text.indexOf('\n---');
  KIND.lastIndex = 0;
  for (let k = KIND.exec(text); k; k = KIND.exec(text)) {
    while (next >= 0 && next < k.index) {
      docStart = next + 1;
      next = text.indexOf('\n---', next + 1);
    }
    const docEnd = next < 0 ? text.length : next;
    for (const d of text.slice(docStart, docEnd).matchAll(DATA))
      mapValues(text, docStart + d.index + d[0].length + 1, docEnd, spans);
    KIND.lastIndex = docEnd;
  }
  return spans;
}

export const KUBERNETES_RULES: SecretRule[] = [
  { id: 'kubernetes-secret', priority: PRIORITY.manifest, tagged: false, keywords: ['Secret'], find: findSecretData },
];
