// The README's notation for a JSON shape (`{a, b?, c: {d}, e?: [{f}]}`) read into a tree, and the same
// tree from a runtime schema's fields (src/protocol/schema.ts), so a test can hold the documentation of
// a contract to its schema.
import type { Fields } from '../../src/protocol/schema';

/** A documented shape: each field's optionality and, for objects and arrays of objects, their shape. */
export type Shape = Record<string, { optional: boolean; shape?: Shape }>;

/** Reads `{a, b?, c: {d}, e?: [{f}]}` (the README's notation). */
export function parseShape(text: string): Shape {
  let i = 0;
  const skip = () => {
    while (text[i] === ' ') i++;
  };
  const expect = (c: string) => {
    skip();
    if (text[i] !== c) throw new Error(`expected ${c} at ${i} in ${text}`);
    i++;
  };
  const object = (): Shape => {
    const out: Shape = {};
    expect('{');
    for (;;) {
      skip();
      const name = /^\w+/.exec(text.slice(i))?.[0];
      if (!name) throw new Error(`expected a field name at ${i} in ${text}`);
      i += name.length;
      const optional = text[i] === '?';
      if (optional) i++;
      let shape: Shape | undefined;
      skip();
      if (text[i] === ':') {
        i++;
        skip();
        const array = text[i] === '[';
        if (array) i++;
        shape = object();
        if (array) expect(']');
      }
      out[name] = { optional, ...(shape ? { shape } : {}) };
      skip();
      if (text[i] === ',') {
        i++;
        continue;
      }
      expect('}');
      return out;
    }
  };
  const shape = object();
  skip();
  if (i !== text.length) throw new Error(`unexpected text after the shape: ${text.slice(i)}`);
  return shape;
}

/** The shape a schema's fields define (objects and arrays of objects carry their own fields). */
export function schemaShape(fields: Fields): Shape {
  const out: Shape = {};
  for (const [name, f] of Object.entries(fields)) {
    const optional = typeof f !== 'function';
    const check = (optional ? f.optional : f) as { fields?: Fields; item?: { fields?: Fields } };
    const nested = check.fields ?? check.item?.fields;
    out[name] = { optional, ...(nested ? { shape: schemaShape(nested) } : {}) };
  }
  return out;
}

/** How a documented shape differs from a schema's, one sentence each (none: they agree). `where` names the shape. */
export function shapeDifferences(where: string, doc: Shape, schema: Shape): string[] {
  const problems: string[] = [];
  for (const [name, s] of Object.entries(schema)) {
    const d = doc[name];
    if (!d) problems.push(`${where}: the README does not list ${name}`);
    else if (d.optional !== s.optional)
      problems.push(`${where}: the README marks ${name} ${d.optional ? 'optional' : 'required'}, the schema does not`);
    else if (s.shape && !d.shape) problems.push(`${where}: the README lists ${name} without its fields`);
    else if (!s.shape && d.shape) problems.push(`${where}: the README gives ${name} fields the schema does not`);
    else if (s.shape && d.shape) problems.push(...shapeDifferences(`${where}.${name}`, d.shape, s.shape));
  }
  for (const name of Object.keys(doc))
    if (!(name in schema)) problems.push(`${where}: the README lists ${name}, which the schema does not define`);
  return problems;
}
