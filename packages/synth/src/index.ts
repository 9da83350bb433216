export { ATTACK_KINDS, ATTACK_SHARES, type AttackKind } from './attacks.js';
export { generateRawEvents, type RawLogonEvent } from './rawEvents.js';
export { generateUserDays } from './userDays.js';
export {
  DEFAULT_ATTACK_RATE,
  DEFAULT_START_DATE,
  SynthOptionsError,
  resolveSynthOptions,
  type ResolvedSynthOptions,
  type SynthOptions,
} from './options.js';
export { ATTACK_COLUMN, ATTACK_TYPE, LABEL_COLUMN, SYNTH_USER_DAY_SCHEMA } from './schema.js';
export { ACCOUNT_KINDS, Tenant, type AccountKind } from './tenant.js';
