/**
 * The user-day columns the features read, by name. The user-day schema belongs to the ingest package: `satisfies`
 * ties every name here to its `UserDay` type, so a rename there fails to compile here.
 */
import type { UserDay } from '@isoforest/ingest';

/** The two columns that together identify a user: features are computed per (domain, user) group. */
export const USER_KEY_COLUMNS = ['DstDomain', 'DstUser'] as const satisfies readonly (keyof UserDay)[];

/** Successful logons of the user that day (a count). The results filter keeps rows where it is positive. */
export const SUCCESSFUL_LOGONS = 'SuccessfulLogons' satisfies keyof UserDay;
