// A tiny runtime schema for the host <-> webview messages and the CLI's NDJSON events: each schema
// checks an unknown value and returns a clean, typed copy (unknown fields dropped) or undefined. Small
// on purpose: the webview bundle ships it, and the messages need only strings, numbers, booleans,
// enums, arrays and objects. Objects, arrays and unions keep what they were built from (`fields`,
// `item`, `variants`), so a test can compare a schema with the documentation of its contract.

/** Checks `v`; returns a clean copy, or undefined when `v` does not fit. */
export type Schema<T> = (v: unknown) => T | undefined;
export type Infer<S> = S extends Schema<infer T> ? T : never;

/** Strings up to `max` UTF-16 units (default 10 MB: one huge answer still fits). */
export const str =
  (max = 10_000_000): Schema<string> =>
  (v) =>
    typeof v === 'string' && v.length <= max ? v : undefined;
/** Finite numbers, optionally integers >= 0. */
export const num =
  (opts: { int?: boolean; min?: number } = {}): Schema<number> =>
  (v) =>
    typeof v === 'number' &&
    Number.isFinite(v) &&
    (!opts.int || Number.isInteger(v)) &&
    (opts.min === undefined || v >= opts.min)
      ? v
      : undefined;
export const bool: Schema<boolean> = (v) => (typeof v === 'boolean' ? v : undefined);
export const oneOf =
  <const T extends readonly string[]>(values: T): Schema<T[number]> =>
  (v) =>
    typeof v === 'string' && (values as readonly string[]).includes(v) ? v : undefined;
export const arrayOf = <S extends Schema<unknown>>(
  item: S,
  max = 100_000,
): Schema<Infer<S>[]> & { readonly item: S } => {
  const check: Schema<Infer<S>[]> = (v) => {
    if (!Array.isArray(v) || v.length > max) return undefined;
    const out: Infer<S>[] = [];
    for (const x of v) {
      const c = item(x);
      if (c === undefined) return undefined;
      out.push(c as Infer<S>);
    }
    return out;
  };
  return Object.assign(check, { item });
};

/** Marks a field as optional: absent (or undefined) is fine, present must fit. */
export interface Optional<T> {
  optional: Schema<T>;
}
export const opt = <T>(s: Schema<T>): Optional<T> => ({ optional: s });

export type Fields = Record<string, Schema<unknown> | Optional<unknown>>;
type Req<F extends Fields> = {
  [K in keyof F as F[K] extends Optional<unknown> ? never : K]: F[K] extends Schema<infer T> ? T : never;
};
type Opt<F extends Fields> = {
  [K in keyof F as F[K] extends Optional<unknown> ? K : never]?: F[K] extends Optional<infer T> ? T : never;
};
type Flat<T> = { [K in keyof T]: T[K] } & {};
export type ObjectOf<F extends Fields> = Flat<Req<F> & Opt<F>>;

export const obj = <F extends Fields>(fields: F): Schema<ObjectOf<F>> & { readonly fields: F } => {
  const check: Schema<ObjectOf<F>> = (v) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
    const src = v as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const [k, s] of Object.entries(fields)) {
      const isOpt = typeof s !== 'function';
      if (isOpt && src[k] === undefined) continue;
      const c = (isOpt ? s.optional : s)(src[k]);
      if (c === undefined) return undefined;
      out[k] = c;
    }
    return out as ObjectOf<F>;
  };
  return Object.assign(check, { fields });
};

/** A discriminated union over `type`: one object schema per message type. */
export function union<M extends Record<string, Fields>>(
  variants: M,
): Schema<{ [K in keyof M]: Flat<{ type: K } & ObjectOf<M[K]>> }[keyof M]> & { readonly variants: M } {
  const checks = new Map(Object.entries(variants).map(([k, f]) => [k, obj(f)]));
  const check = (v: unknown) => {
    const type = typeof v === 'object' && v !== null ? (v as { type?: unknown }).type : undefined;
    const variant = typeof type === 'string' ? checks.get(type) : undefined;
    const body = variant?.(v);
    return body === undefined ? undefined : ({ type, ...body } as never);
  };
  return Object.assign(check, { variants });
}
