import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { iamActionsData } from '../../src/datasets/iam-actions.js';
import { buildCatalogue, has } from '../../src/privilege/catalogue.js';
import { analysePermissionSet } from '../../src/privilege/permission-set-privilege.js';

// The bitset expansion of Action / NotAction patterns and the Allow/Deny combination, checked
// against a brute-force evaluator that walks every action of the catalogue with a naive
// recursive glob matcher (no regular expressions, no service ranges, no memo).

const catalogue = buildCatalogue(iamActionsData());

/** IAM glob: `*` any run, `?` one character, case-insensitive. */
function globMatches(pattern: string, text: string): boolean {
  const p = pattern.toLowerCase();
  const t = text.toLowerCase();
  const go = (i: number, j: number): boolean => {
    if (i === p.length) return j === t.length;
    if (p[i] === '*') {
      for (let k = j; k <= t.length; k++) if (go(i + 1, k)) return true;
      return false;
    }
    return j < t.length && (p[i] === '?' || p[i] === t[j]) && go(i + 1, j + 1);
  };
  return go(0, 0);
}

interface St {
  effect: 'Allow' | 'Deny';
  not: boolean;
  patterns: string[];
}

/** Allowed when some Allow statement names the action and no Deny statement does. */
function bruteForce(statements: readonly St[], action: string): boolean {
  const names = (s: St) => s.patterns.some((p) => globMatches(p, action)) !== s.not;
  return statements.some((s) => s.effect === 'Allow' && names(s)) && !statements.some((s) => s.effect === 'Deny' && names(s));
}

/** Patterns derived from real action names: cut, wildcarded, re-cased, or a typo. */
const pattern = fc
  .tuple(fc.nat(catalogue.size - 1), fc.integer({ min: 0, max: 6 }), fc.nat(40), fc.boolean())
  .map(([id, how, cut, upper]) => {
    const action = catalogue.actions[id]!;
    const colon = action.indexOf(':');
    const at = Math.min(action.length, colon + 1 + cut);
    let p: string;
    if (how === 0) p = action;
    else if (how === 1) p = `${action.slice(0, at)}*`;
    else if (how === 2) p = `${action.slice(0, colon)}:*`;
    else if (how === 3) p = `*${action.slice(at)}`;
    else if (how === 4) p = `${action.slice(0, at)}?${action.slice(at + 1)}`;
    else if (how === 5) p = `${action.slice(0, colon)}:${action.slice(colon + 1, at)}*${action.slice(Math.min(action.length, at + 2))}`;
    else p = `${action}x`;
    return upper ? p.toUpperCase() : p.toLowerCase();
  });

const statement: fc.Arbitrary<St> = fc.record({
  effect: fc.constantFrom('Allow' as const, 'Allow' as const, 'Deny' as const),
  not: fc.boolean(),
  patterns: fc.array(pattern, { minLength: 1, maxLength: 3 }),
});

describe('wildcard and NotAction expansion', () => {
  it('agrees with a brute-force evaluator over the whole catalogue', () => {
    fc.assert(
      fc.property(fc.array(statement, { minLength: 1, maxLength: 3 }), (statements) => {
        const document = {
          Version: '2012-10-17',
          Statement: statements.map((s) => ({ Effect: s.effect, [s.not ? 'NotAction' : 'Action']: s.patterns, Resource: '*' })),
        };
        const p = analysePermissionSet(catalogue, { managedPolicies: [], customerManagedPolicies: [], inlinePolicy: JSON.stringify(document) }, () => undefined);
        for (let id = 0; id < catalogue.size; id++) {
          const expected = bruteForce(statements, catalogue.actions[id]!);
          if (has(p.allowed, id) !== expected || has(p.analysedAllowed, id) !== expected || has(p.maybeAllowed, id) !== expected) {
            throw new Error(`${catalogue.actions[id]}: model says ${has(p.allowed, id)}, brute force ${expected}`);
          }
        }
      }),
      { numRuns: 25, seed: 11 },
    );
  });

  it('makes a conditional Allow "possibly" and a conditional Deny never a silent yes', () => {
    fc.assert(
      fc.property(pattern, pattern, (allowPattern, denyPattern) => {
        const inlinePolicy = JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Action: allowPattern, Resource: '*', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } },
            { Effect: 'Allow', Action: '*', Resource: 'arn:aws:s3:::bucket/*' },
            { Effect: 'Deny', Action: denyPattern, Resource: '*', Condition: { StringEquals: { 'aws:RequestedRegion': 'us-east-1' } } },
          ],
        });
        const p = analysePermissionSet(catalogue, { managedPolicies: [], customerManagedPolicies: [], inlinePolicy }, () => undefined);
        for (let id = 0; id < catalogue.size; id++) {
          if (has(p.allowed, id) || !has(p.maybeAllowed, id)) throw new Error(`${catalogue.actions[id]} is not "possibly"`);
        }
        expect(p.classification.certainLevel).toBe('none');
      }),
      { numRuns: 10, seed: 5 },
    );
  });
});
