import { Dictionary, Field, Int8, Schema, Uint8, Utf8 } from 'apache-arrow';
import { USER_DAY_SCHEMA } from '@isoforest/ingest';

/** Ground-truth column: 1 when the user-day carries an injected attack, else 0. */
export const LABEL_COLUMN = 'label';
/** Ground-truth column: which attack (see `ATTACK_KINDS`), `none` for a normal user-day. */
export const ATTACK_COLUMN = 'attack';

/** The dictionary type of the `attack` column: Int8 indices into `ATTACK_KINDS`, the same dictionary in every batch. */
export const ATTACK_TYPE = new Dictionary(new Utf8(), new Int8());

/** The schema of `generateUserDays` batches: the user-day schema, then `label` and `attack`. */
export const SYNTH_USER_DAY_SCHEMA = new Schema([
  ...USER_DAY_SCHEMA.fields,
  new Field(LABEL_COLUMN, new Uint8(), false),
  new Field(ATTACK_COLUMN, ATTACK_TYPE, false),
]);
