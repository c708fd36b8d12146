import { popCount } from '../privilege/catalogue.js';

// The privilege diff account by account, for a delta that grants much more than the before side
// held (a first plan against an empty or nearly empty store, where every membership and every
// assignment is new and the pair-by-pair walk of privilege-diff.ts would visit all of the
// organisation's millions of (user, account) pairs one by one).
//
// In each account, a user's standing is the best standing among the principals that reach the
// account and include them. Users who held nothing there before can only gain, and what they
// gain is decided by the first principal that includes them when the account's principals are
// taken best first: a sweep that covers users as it goes. A group that is large next to the
// number of users is swept as a bit set, 32 users to a step, so `everyone` in 500 accounts is
// 500 × users / 32 steps, not 500 × users. Users who held something before (few, on the delta
// this is chosen for) are evaluated one by one from both sides' standings.

/** A (direction, from, to, permission set) bucket: the users and the accounts it holds. */
export interface RawBucket {
  readonly loss: boolean;
  readonly from: number;
  readonly to: number;
  readonly ps: number;
  /** One byte per user id, 1 when the bucket holds the user. */
  readonly users: Uint8Array;
  /** One byte per account id, 1 when the bucket holds the account. */
  readonly accounts: Uint8Array;
}

export interface SweepInput {
  readonly userCount: number;
  readonly groupCount: number;
  readonly accountCount: number;
  /** Permission sets in the level order's tie-break: byName[position] is a set id. */
  readonly byName: readonly number[];
  readonly levels: number;
  /** A standing is rank × scale + (scale − 1 − the set's position by name). */
  readonly scale: number;
  /** Each side's (account, principal, permission set); a principal below userCount is that user, else userCount + its group. */
  readonly before: Triples;
  readonly after: Triples;
  readonly standingBefore: (ps: number) => number;
  readonly standingAfter: (ps: number) => number;
  readonly membersBefore: (group: number) => readonly number[];
  readonly membersAfter: (group: number) => readonly number[];
  readonly groupsBefore: (user: number) => readonly number[];
  readonly groupsAfter: (user: number) => readonly number[];
  /** Groups with at least this many members are swept as bit sets (tests move it to reach both ways). */
  readonly bitSetFrom?: number;
}

/** (account, principal, permission set) triples as parallel arrays. */
export interface Triples {
  readonly account: Int32Array;
  readonly principal: Int32Array;
  readonly ps: Int32Array;
  readonly length: number;
}

interface SweepBucket extends RawBucket {
  /** The users as bits while sweeping; copied into `users` at the end. */
  readonly bits: Int32Array;
}

export function sweepByAccount(input: SweepInput): RawBucket[] {
  const { userCount: U, accountCount: N, scale, levels, byName } = input;
  const mask = scale - 1;
  const words = (U + 31) >>> 5;
  const bitSetFrom = input.bitSetFrom ?? Math.max(1, words >>> 1);
  const setCount = byName.length;

  const bucketOf = new Int32Array(2 * levels * levels * Math.max(1, setCount)).fill(-1);
  const buckets: SweepBucket[] = [];
  const bucket = (loss: number, from: number, to: number, ps: number): SweepBucket => {
    const key = ((loss * levels + from) * levels + to) * setCount + ps;
    let b = bucketOf[key]!;
    if (b < 0) {
      b = buckets.length;
      bucketOf[key] = b;
      buckets.push({ loss: loss === 1, from, to, ps, users: new Uint8Array(U), accounts: new Uint8Array(N), bits: new Int32Array(words) });
    }
    return buckets[b]!;
  };

  const before = perAccount(input.before, N, U + input.groupCount, input.standingBefore);
  const after = perAccount(input.after, N, U + input.groupCount, input.standingAfter);
  // Best first within each account: the sweep takes the principals in this order.
  for (let a = 0; a < N; a++) after.keys.subarray(after.start[a]!, after.start[a + 1]!).sort();

  const memberBits: (Int32Array | null | undefined)[] = [];
  const bitsOf = (g: number): Int32Array | null => {
    let bits = memberBits[g];
    if (bits === undefined) {
      const members = input.membersAfter(g);
      bits = null;
      if (members.length >= bitSetFrom) {
        bits = new Int32Array(words);
        for (const u of members) bits[u >>> 5]! |= 1 << (u & 31);
      }
      memberBits[g] = bits;
    }
    return bits;
  };

  // Per account: each principal's best standing on either side (stamped by account), the users
  // who held something before, and the users covered so far.
  const P = U + input.groupCount;
  const stampBefore = new Int32Array(P);
  const valueBefore = new Int32Array(P);
  const stampAfter = new Int32Array(P);
  const valueAfter = new Int32Array(P);
  const heldStamp = new Int32Array(U);
  const held: number[] = [];
  const covered = new Int32Array(words);
  let current = 0;
  const hold = (u: number) => {
    if (heldStamp[u] === current) return;
    heldStamp[u] = current;
    held.push(u);
    covered[u >>> 5]! |= 1 << (u & 31);
  };
  const best = (stamp: Int32Array, value: Int32Array, user: number, groups: readonly number[]): number => {
    let v = stamp[user] === current ? value[user]! : -1;
    for (const g of groups) {
      const p = U + g;
      if (stamp[p] === current && value[p]! > v) v = value[p]!;
    }
    return v;
  };

  for (let a = 0; a < N; a++) {
    current = a + 1;
    const bStart = before.start[a]!;
    const bEnd = before.start[a + 1]!;
    const aStart = after.start[a]!;
    const aEnd = after.start[a + 1]!;
    if (bStart === bEnd && aStart === aEnd) continue;

    held.length = 0;
    if (bStart < bEnd) {
      for (let i = aStart; i < aEnd; i++) stampValue(after, i, stampAfter, valueAfter, current);
      for (let i = bStart; i < bEnd; i++) {
        const p = stampValue(before, i, stampBefore, valueBefore, current);
        if (p < U) hold(p);
        else for (const u of input.membersBefore(p - U)) hold(u);
      }
      for (const u of held) {
        const vb = best(stampBefore, valueBefore, u, input.groupsBefore(u));
        const va = best(stampAfter, valueAfter, u, input.groupsAfter(u));
        const f = vb < 0 ? 0 : (vb / scale) | 0;
        const t = va < 0 ? 0 : (va / scale) | 0;
        if (f === t) continue;
        const loss = t < f ? 1 : 0;
        const b = bucket(loss, f, t, byName[mask - ((loss ? vb : va) & mask)]!);
        b.bits[u >>> 5]! |= 1 << (u & 31);
        b.accounts[a] = 1;
      }
    }

    // Everyone else held nothing here: the first principal, best first, that includes them
    // decides what they gain; a principal of level none gives nothing, nor does any after it,
    // and once every user is covered nothing after it counts either.
    let uncovered = U - held.length;
    const keys = after.keys;
    for (let i = aEnd - 1; i >= aStart && uncovered > 0; i--) {
      const key = keys[i]!;
      const p = key % after.radix;
      const v = (key - p) / after.radix;
      const to = (v / scale) | 0;
      if (to === 0) break;
      // The bucket is looked up only once the principal covers somebody new.
      let gained: SweepBucket | undefined;
      if (p < U) {
        const w = p >>> 5;
        const bit = 1 << (p & 31);
        if ((covered[w]! & bit) === 0) {
          covered[w]! |= bit;
          gained = bucket(0, 0, to, byName[mask - (v & mask)]!);
          gained.bits[w]! |= bit;
          uncovered--;
        }
      } else {
        const memberSet = bitsOf(p - U);
        if (memberSet) {
          for (let w = 0; w < words; w++) {
            const fresh = memberSet[w]! & ~covered[w]!;
            if (fresh === 0) continue;
            covered[w]! |= fresh;
            gained ??= bucket(0, 0, to, byName[mask - (v & mask)]!);
            gained.bits[w]! |= fresh;
            uncovered -= popCount(fresh);
          }
        } else {
          const members = input.membersAfter(p - U);
          for (let m = 0; m < members.length; m++) {
            const u = members[m]!;
            const w = u >>> 5;
            const bit = 1 << (u & 31);
            if ((covered[w]! & bit) !== 0) continue;
            covered[w]! |= bit;
            gained ??= bucket(0, 0, to, byName[mask - (v & mask)]!);
            gained.bits[w]! |= bit;
            uncovered--;
          }
        }
      }
      if (gained) gained.accounts[a] = 1;
    }
    covered.fill(0);
  }

  for (const b of buckets) {
    for (let w = 0; w < words; w++) {
      let word = b.bits[w]!;
      while (word !== 0) {
        const low = word & -word;
        b.users[(w << 5) + 31 - Math.clz32(low)] = 1;
        word ^= low;
      }
    }
  }
  return buckets;
}

/** A side's triples grouped by account: per account, keys standing × radix + principal. */
interface PerAccount {
  readonly start: Int32Array;
  readonly keys: Float64Array;
  readonly radix: number;
}

function perAccount(side: Triples, accounts: number, principals: number, standing: (ps: number) => number): PerAccount {
  const start = new Int32Array(accounts + 1);
  const account = side.account;
  for (let i = 0; i < side.length; i++) start[account[i]! + 1]!++;
  for (let a = 0; a < accounts; a++) start[a + 1]! += start[a]!;
  const radix = 2 ** Math.ceil(Math.log2(principals + 1));
  const keys = new Float64Array(side.length);
  const next = start.slice(0, accounts);
  const principal = side.principal;
  const ps = side.ps;
  for (let i = 0; i < side.length; i++) keys[next[account[i]!]!++] = standing(ps[i]!) * radix + principal[i]!;
  return { start, keys, radix };
}

/** Records entry i's principal at its best standing in this account; returns the principal. */
function stampValue(side: PerAccount, i: number, stamp: Int32Array, value: Int32Array, current: number): number {
  const key = side.keys[i]!;
  const p = key % side.radix;
  const v = (key - p) / side.radix;
  if (stamp[p] !== current) {
    stamp[p] = current;
    value[p] = v;
  } else if (v > value[p]!) value[p] = v;
  return p;
}
