/** Whether an Arrow table holds user-days: shared by the file reader and the in-memory (browser) reader. */
import type { Schema } from 'apache-arrow';
import { USER_DAY_SCHEMA } from './schema.js';

/** The first difference between `schema` and `USER_DAY_SCHEMA`, as `[column, problem]`, or null if none. */
export function schemaMismatch(schema: Schema): [string | null, string] | null {
  const fields = schema.fields;
  for (const [k, expected] of USER_DAY_SCHEMA.fields.entries()) {
    const found = fields[k];
    if (found === undefined) return [expected.name, 'missing column'];
    if (found.name !== expected.name) return [found.name, `column ${k + 1} should be ${expected.name}`];
    if (String(found.type) !== String(expected.type))
      return [found.name, `type ${found.type} should be ${expected.type}`];
  }
  if (fields.length > USER_DAY_SCHEMA.fields.length)
    return [fields[USER_DAY_SCHEMA.fields.length]!.name, 'extra column'];
  return null;
}
