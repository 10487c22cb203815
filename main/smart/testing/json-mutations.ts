import fc from 'fast-check';

/**
 * Mutations of real-shaped JSON documents for fuzzing the parsers of what EHRs send: members deleted,
 * replaced by hostile values or added (prototype-pollution keys included), then the text itself
 * sometimes truncated or spliced. Generated from a seed, so every failure is reproducible.
 */
type Path = readonly (string | number)[];

const hostileKeys = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'];

export const hostileJsonValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string({ maxLength: 40 }),
    fc.string({ unit: 'binary', maxLength: 20 }),
    fc.constantFrom(
      '',
      ' ',
      'javascript:alert(1)',
      'http://evil.example/token',
      '//evil.example/x',
      'relative/path',
      '../../token',
      'https://ehr.example.org/fhir/.well-known/openid-configuration',
      'x'.repeat(100_000),
      'Patient/../../etc',
      'patient/*.cruds launch offline_access',
    ),
    fc.integer(),
    fc.constantFrom(-1, 0, 1e308, -1e308, 0.5, Number.MAX_SAFE_INTEGER + 2),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom(...hostileKeys, 'url', 'reference', 'role', 'valueUri'), tie('value'), { maxKeys: 3 }),
  ),
})).value;

/** Every path to a member or array item of `doc`, the root excluded. */
function pathsOf(value: unknown, prefix: Path = []): Path[] {
  if (typeof value !== 'object' || value === null) return [];
  const entries = Array.isArray(value) ? value.map((item, index) => [index, item] as const) : Object.entries(value);
  return entries.flatMap(([key, item]) => [[...prefix, key], ...pathsOf(item, [...prefix, key])]);
}

type Mutation = { op: 'delete' | 'replace' | 'add'; path: Path; key: string; value: unknown };

function apply(doc: unknown, mutation: Mutation): unknown {
  const root = structuredClone(doc) as Record<string | number, unknown>;
  let parent: Record<string | number, unknown> = root;
  for (const segment of mutation.path.slice(0, -1)) {
    const next = parent[segment];
    if (typeof next !== 'object' || next === null) return root;
    parent = next as Record<string | number, unknown>;
  }
  const last = mutation.path.at(-1)!;
  if (mutation.op === 'delete') {
    if (Array.isArray(parent) && typeof last === 'number') parent.splice(last, 1);
    else delete parent[last];
  } else if (mutation.op === 'replace') {
    parent[last] = mutation.value;
  } else {
    const target = parent[last];
    if (typeof target === 'object' && target !== null && !Array.isArray(target)) {
      // defineProperty: an own member named __proto__, as JSON.parse would make it, not a prototype change.
      Object.defineProperty(target, mutation.key, {
        value: mutation.value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
  }
  return root;
}

const textEdits = fc.oneof(
  { weight: 6, arbitrary: fc.constant((text: string) => text) },
  { weight: 1, arbitrary: fc.nat().map((at) => (text: string) => text.slice(0, at % (text.length + 1))) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.nat(), fc.constantFrom('"', '{', ']', ',', '\u0000', '\\', 'NaN'))
      .map(([at, insert]) => (text: string) => {
        const index = at % (text.length + 1);
        return text.slice(0, index) + insert + text.slice(index);
      }),
  },
);

/** The JSON text of `doc` after up to `maxMutations` structural mutations and perhaps a text edit. */
export function mutatedJsonText(doc: unknown, maxMutations = 4): fc.Arbitrary<string> {
  const paths = pathsOf(doc);
  const mutation: fc.Arbitrary<Mutation> = fc.record({
    op: fc.constantFrom('delete', 'replace', 'add'),
    path: fc.constantFrom(...paths),
    key: fc.constantFrom(...hostileKeys, 'extra'),
    value: hostileJsonValue,
  });
  return fc
    .tuple(fc.array(mutation, { maxLength: maxMutations }), textEdits)
    .map(([mutations, edit]) => edit(JSON.stringify(mutations.reduce<unknown>(apply, doc))));
}
