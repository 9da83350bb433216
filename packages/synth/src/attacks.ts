/** The attack kinds a user-day can carry, in the order of the `attack` column's dictionary (index 0: none). */
export const ATTACK_KINDS = ['none', 'password_spray', 'brute_force', 'lateral_movement'] as const;
export type AttackKind = (typeof ATTACK_KINDS)[number];

export const NO_ATTACK = 0;
export const PASSWORD_SPRAY = 1;
export const BRUTE_FORCE = 2;
export const LATERAL_MOVEMENT = 3;

/** Share of each attack kind among attacked user-days: spray, brute force, lateral movement. */
export const ATTACK_SHARES = [0.4, 0.3, 0.3] as const;
