// The part of zod/mini the extension's bundles use, built once as dist/zod.js and required by
// each of them (scripts/bundles.mjs, SHARED): the package's whole entry would be some 430 KB, and a
// copy in every bundle would repeat the rest. test/unit/scripts/sharedBundles.test.ts checks that
// every `z.` function the sources call is exported here.
export {
  array,
  boolean,
  discriminatedUnion,
  enum,
  gte,
  int,
  literal,
  looseObject,
  lte,
  maxLength,
  minLength,
  nullable,
  number,
  object,
  optional,
  record,
  refine,
  regex,
  startsWith,
  string,
  unknown,
} from 'zod/mini';
