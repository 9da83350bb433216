import { Prng } from './prng.js';

/** What kind of account a user is; decides its habits. */
export const ACCOUNT_KINDS = ['person', 'service', 'admin'] as const;
export type AccountKind = (typeof ACCOUNT_KINDS)[number];
export const PERSON = 0;
export const SERVICE = 1;
export const ADMIN = 2;

/** Share of each account kind, in {@link ACCOUNT_KINDS} order. */
const KIND_SHARES = [0.8, 0.12, 0.08];

/** Logon domains (`TargetDomainName`) and the share of users in each. */
export const USER_DOMAINS = ['CONTOSO', 'FABRIKAM'] as const;
const FABRIKAM_SHARE = 0.1;

/**
 * DNS domains of the computers, part of their FQDN (`Computer`), by computer id; see {@link computerDomainIndex}. The
 * notebook's domain counts do not see them: they count TargetDomainName and AccountDomain (see `summarizeDay`).
 */
export const COMPUTER_DOMAINS = ['contoso.com', 'corp.contoso.com', 'emea.contoso.com'] as const;

/** Authentication packages, as bit flags in the per-day masks. */
export const AUTH_PACKAGES = ['Kerberos', 'NTLM', 'Negotiate'] as const;
export const KERBEROS = 1;
export const NTLM = 2;
export const NEGOTIATE = 4;

/** Stream numbers of the PRNG, so that each purpose draws from its own sequence. */
export const STREAM_PROFILE = 1;
export const STREAM_DAY = 2;
export const STREAM_ATTACK = 3;
export const STREAM_CAMPAIGN = 4;

const SURNAMES = [
  'smith',
  'jones',
  'garcia',
  'miller',
  'davis',
  'lopez',
  'wilson',
  'anderson',
  'thomas',
  'taylor',
  'moore',
  'jackson',
  'martin',
  'lee',
  'perez',
  'thompson',
  'white',
  'harris',
  'sanchez',
  'clark',
  'ramirez',
  'lewis',
  'robinson',
  'walker',
  'young',
  'allen',
  'king',
  'wright',
  'scott',
  'torres',
  'nguyen',
  'hill',
  'flores',
  'green',
  'adams',
  'nelson',
  'baker',
  'hall',
  'rivera',
  'campbell',
  'mitchell',
  'carter',
  'roberts',
  'novak',
  'kowalski',
  'muller',
  'schmidt',
  'rossi',
];
const SERVICES = ['sql', 'backup', 'sccm', 'exchange', 'iis', 'scan', 'sharepoint', 'monitor', 'build', 'sap'];

/**
 * A synthetic tenant: its entity pools and one profile per user, in typed arrays (struct of arrays) so that
 * millions of users cost a few bytes each and no object per user. Pools are powers of two, so a walk with an odd
 * stride visits distinct members: a user's usual computers, IPs and workstations are the first steps of its walks,
 * and unusual ones (lateral movement) the next steps, guaranteed different.
 */
export class Tenant {
  readonly users: number;
  /** Computers (targets of logons), `SRV-<id>.<domain>`; id 0 is the internet-facing server sprays hit. */
  readonly computerPool: number;
  /** Internal source IPs, 10.x.y.z. */
  readonly ipPool: number;
  /** Internal source workstations, `WKS-<id>`. */
  readonly hostPool: number;

  readonly kind: Uint8Array;
  readonly domain: Uint8Array;
  /** Median successful logons on an active workday. */
  readonly volumeMedian: Float64Array;
  /** Log-space standard deviation of the daily volume. */
  readonly volumeSigma: Float64Array;
  readonly computerHabit: Int32Array;
  readonly computerBase: Int32Array;
  readonly computerStride: Int32Array;
  readonly ipHabit: Int32Array;
  readonly ipBase: Int32Array;
  readonly ipStride: Int32Array;
  readonly hostHabit: Int32Array;
  readonly hostBase: Int32Array;
  readonly hostStride: Int32Array;
  /** Authentication packages the user's own logons use (bit flags). */
  readonly packages: Uint8Array;
  /** Usual start and end of the working day, in minutes after UTC midnight. */
  readonly startMinute: Int32Array;
  readonly endMinute: Int32Array;
  /** Probability of a day with a few benign failed logons (mistyped or expired passwords). */
  readonly failureChance: Float64Array;
  /** UTF-8 bytes of each user's name: user `u` is `nameBytes[nameOffsets[u], nameOffsets[u + 1])`. */
  readonly nameBytes: Uint8Array;
  readonly nameOffsets: Int32Array;

  constructor(users: number, seed: number) {
    this.users = users;
    this.computerPool = powerOfTwoAtLeast(Math.max(64, users >> 1));
    this.ipPool = powerOfTwoAtLeast(Math.max(256, 2 * users));
    this.hostPool = powerOfTwoAtLeast(Math.max(64, 2 * users));
    this.kind = new Uint8Array(users);
    this.domain = new Uint8Array(users);
    this.volumeMedian = new Float64Array(users);
    this.volumeSigma = new Float64Array(users);
    this.computerHabit = new Int32Array(users);
    this.computerBase = new Int32Array(users);
    this.computerStride = new Int32Array(users);
    this.ipHabit = new Int32Array(users);
    this.ipBase = new Int32Array(users);
    this.ipStride = new Int32Array(users);
    this.hostHabit = new Int32Array(users);
    this.hostBase = new Int32Array(users);
    this.hostStride = new Int32Array(users);
    this.packages = new Uint8Array(users);
    this.startMinute = new Int32Array(users);
    this.endMinute = new Int32Array(users);
    this.failureChance = new Float64Array(users);
    const names: string[] = [];
    const rng = new Prng();
    for (let u = 0; u < users; u++) {
      rng.reseed(seed, STREAM_PROFILE, u, 0);
      names.push(this.drawProfile(u, rng));
    }
    const encoded = new TextEncoder().encode(names.join(''));
    this.nameBytes = encoded;
    this.nameOffsets = new Int32Array(users + 1);
    // Names are ASCII, so string lengths are byte lengths.
    for (let u = 0; u < users; u++) this.nameOffsets[u + 1] = this.nameOffsets[u] + names[u].length;
  }

  /** The name (`TargetUserName`) of user `u`. */
  userName(u: number): string {
    return new TextDecoder().decode(this.nameBytes.subarray(this.nameOffsets[u], this.nameOffsets[u + 1]));
  }

  /** The kind of account user `u` is. */
  accountKind(u: number): AccountKind {
    return ACCOUNT_KINDS[this.kind[u]];
  }

  /** Id of the `j`-th computer of user `u`'s walk: j below its habit are its usual computers. */
  computerAt(u: number, j: number): number {
    return (this.computerBase[u] + j * this.computerStride[u]) & (this.computerPool - 1);
  }

  /** Id of the `j`-th internal source IP of user `u`'s walk. */
  ipAt(u: number, j: number): number {
    return (this.ipBase[u] + j * this.ipStride[u]) & (this.ipPool - 1);
  }

  /** Id of the `j`-th workstation of user `u`'s walk. */
  hostAt(u: number, j: number): number {
    return (this.hostBase[u] + j * this.hostStride[u]) & (this.hostPool - 1);
  }

  private drawProfile(u: number, rng: Prng): string {
    const draw = rng.float();
    const kind = draw < KIND_SHARES[0] ? PERSON : draw < KIND_SHARES[0] + KIND_SHARES[1] ? SERVICE : ADMIN;
    this.kind[u] = kind;
    this.domain[u] = rng.chance(FABRIKAM_SHARE) ? 1 : 0;
    this.computerBase[u] = rng.int(this.computerPool);
    this.computerStride[u] = 2 * rng.int(this.computerPool >> 1) + 1;
    this.ipBase[u] = rng.int(this.ipPool);
    this.ipStride[u] = 2 * rng.int(this.ipPool >> 1) + 1;
    this.hostBase[u] = rng.int(this.hostPool);
    this.hostStride[u] = 2 * rng.int(this.hostPool >> 1) + 1;
    // Habits leave room in the pools for lateral movement's extra computers, IPs and workstations.
    const maxComputers = this.computerPool >> 2;
    if (kind === SERVICE) {
      this.volumeMedian[u] = rng.logNormal(3000, 0.9);
      this.volumeSigma[u] = 0.05 + 0.1 * rng.float();
      this.computerHabit[u] = 1 + rng.int(3);
      this.ipHabit[u] = 1 + rng.int(2);
      this.hostHabit[u] = 1 + rng.int(2);
      this.packages[u] = rng.chance(0.5) ? NTLM : KERBEROS;
      this.startMinute[u] = rng.int(10);
      this.endMinute[u] = 1430 + rng.int(10);
      this.failureChance[u] = 0.01;
      return `svc-${SERVICES[rng.int(SERVICES.length)]}${String(u).padStart(2, '0')}`;
    }
    const surname = SURNAMES[rng.int(SURNAMES.length)];
    const initial = String.fromCharCode(97 + rng.int(26));
    if (kind === ADMIN) {
      this.volumeMedian[u] = rng.logNormal(300, 0.6);
      this.volumeSigma[u] = 0.4 + 0.2 * rng.float();
      this.computerHabit[u] = Math.min(maxComputers, 8 + rng.int(40));
      this.ipHabit[u] = 1 + rng.int(2);
      this.hostHabit[u] = 1 + rng.int(3);
      this.packages[u] = KERBEROS | NTLM;
      this.startMinute[u] = 7 * 60 + rng.int(120);
      this.endMinute[u] = 17 * 60 + rng.int(300);
      this.failureChance[u] = 0.1;
      return `adm-${initial}${surname}${u}`;
    }
    this.volumeMedian[u] = rng.logNormal(40, 0.8);
    this.volumeSigma[u] = 0.3 + 0.2 * rng.float();
    this.computerHabit[u] = 1 + rng.int(4);
    this.ipHabit[u] = 1 + rng.int(3);
    this.hostHabit[u] = 1 + rng.int(2);
    this.packages[u] = rng.chance(0.3) ? KERBEROS | NTLM : rng.chance(0.1) ? KERBEROS | NEGOTIATE : KERBEROS;
    this.startMinute[u] = 7 * 60 + rng.int(150);
    this.endMinute[u] = 16 * 60 + rng.int(180);
    this.failureChance[u] = 0.12;
    return `${initial}${surname}${u}`;
  }
}

/** DNS domain index (into {@link COMPUTER_DOMAINS}) of computer `id`: most in the forest root, some in child domains. */
function computerDomainIndex(id: number): number {
  const slot = id % 25;
  return slot < 20 ? 0 : slot < 23 ? 1 : 2;
}

/** The FQDN (`Computer`) of computer `id`. */
export function computerName(id: number): string {
  return `SRV-${String(id).padStart(5, '0')}.${COMPUTER_DOMAINS[computerDomainIndex(id)]}`;
}

/** The dotted address of internal IP `id` (10.0.0.0/8). */
export function internalIp(id: number): string {
  return `10.${(id >>> 16) & 255}.${(id >>> 8) & 255}.${id & 255}`;
}

/** The dotted address of external (attacker) IP `n`, a 24-bit number: 198.x.y.z, never an internal address. */
export function externalIp(n: number): string {
  return `198.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/** The name (`WorkstationName`) of internal workstation `id`. */
export function workstationName(id: number): string {
  return `WKS-${String(id).padStart(6, '0')}`;
}

/** The name of an attacker's machine as Windows logs it (a default `WIN-` name), from a 16-bit number. */
export function attackerWorkstationName(n: number): string {
  return `WIN-${n.toString(16).toUpperCase().padStart(4, '0')}`;
}

function powerOfTwoAtLeast(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}
