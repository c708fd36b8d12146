import { describe, expect, it } from 'vitest';
import { loadServiceModels } from '../../src/stores/emulator/service-models.js';
import { compilePattern, validateInput } from '../../src/stores/emulator/validate-input.js';

const models = loadServiceModels();
const ssoAdmin = models.get('sso-admin')!;
const identityStore = models.get('identitystore')!;
const INSTANCE = 'arn:aws:sso:::instance/ssoins-0123456789abcdef';

describe('validateInput against the official shapes', () => {
  it('accepts a valid CreatePermissionSet request', () => {
    expect(validateInput(ssoAdmin, 'CreatePermissionSetRequest', { Name: 'Admin', InstanceArn: INSTANCE, SessionDuration: 'PT4H', Tags: [{ Key: 'team', Value: 'platform' }] })).toBeUndefined();
  });

  it('reports a name over 32 characters as AWS words it', () => {
    const name = 'x'.repeat(33);
    expect(validateInput(ssoAdmin, 'CreatePermissionSetRequest', { Name: name, InstanceArn: INSTANCE })).toEqual({
      kind: 'validation',
      message: `1 validation error detected: Value '${name}' at 'name' failed to satisfy constraint: Member must have length less than or equal to 32`,
      // In Organizations' words, for the one service that answers InvalidInputException with a Reason.
      reason: 'MAX_LENGTH_EXCEEDED',
    });
  });

  it('collects every violation: missing member, pattern, nested list item', () => {
    const problem = validateInput(ssoAdmin, 'CreatePermissionSetRequest', { Name: 'bad name!', Tags: [{ Key: 'k' }] });
    expect(problem?.kind).toBe('validation');
    expect(problem?.message).toMatch(/^3 validation errors detected: /);
    expect(problem?.message).toContain("Value null at 'instanceArn' failed to satisfy constraint: Member must not be null");
    expect(problem?.message).toContain("Value 'bad name!' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+");
    expect(problem?.message).toContain("Value null at 'tags.1.member.value' failed to satisfy constraint: Member must not be null");
  });

  it('checks enums and integer ranges', () => {
    const problem = validateInput(ssoAdmin, 'ListAccountAssignmentsForPrincipalRequest', { InstanceArn: INSTANCE, PrincipalId: 'abc', PrincipalType: 'ROBOT', MaxResults: 1000 });
    expect(problem?.message).toContain("Value 'ROBOT' at 'principalType' failed to satisfy constraint: Member must satisfy enum value set: [USER, GROUP]");
    expect(problem?.message).toContain("Value '1000' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100");
  });

  it('anchors patterns: a valid prefix followed by junk is rejected', () => {
    expect(validateInput(ssoAdmin, 'ListPermissionSetsRequest', { InstanceArn: `${INSTANCE}/junk` })?.message).toContain('Member must satisfy regular expression pattern');
    expect(compilePattern('\\d{12}').test('1234567890123')).toBe(false);
  });

  it('matches Unicode classes (\\p{L}) in Identity Store patterns', () => {
    expect(validateInput(identityStore, 'GetUserIdRequest', {
      IdentityStoreId: 'd-1234567890',
      AlternateIdentifier: { UniqueAttribute: { AttributePath: 'userName', AttributeValue: 'zoë' } },
    })).toBeUndefined();
    expect(validateInput(identityStore, 'GetUserIdRequest', {
      IdentityStoreId: 'd-1234567890',
      AlternateIdentifier: { UniqueAttribute: { AttributePath: 'user name', AttributeValue: 'x' } },
    })?.message).toContain("at 'alternateIdentifier.uniqueAttribute.attributePath'");
  });

  it('requires exactly one member of a union', () => {
    expect(validateInput(identityStore, 'GetUserIdRequest', { IdentityStoreId: 'd-1234567890', AlternateIdentifier: {} })?.message).toContain(
      'Exactly one member of AlternateIdentifier must be set',
    );
  });

  it('rejects members the shape does not define', () => {
    expect(validateInput(ssoAdmin, 'ListInstancesRequest', { Bogus: 1 })?.message).toBe(
      "1 validation error detected: Value at 'bogus' failed to satisfy constraint: Member is not part of ListInstancesRequest",
    );
  });

  it('reports a value of the wrong JSON type as a serialization error', () => {
    expect(validateInput(ssoAdmin, 'ListPermissionSetsRequest', { InstanceArn: INSTANCE, MaxResults: 'ten' })?.kind).toBe('serialization');
  });

  it('compiles every pattern of the three models', () => {
    let count = 0;
    for (const model of models.values()) {
      for (const shape of Object.values(model.shapes)) {
        if (shape.pattern) {
          expect(() => compilePattern(shape.pattern!)).not.toThrow();
          count++;
        }
      }
    }
    expect(count).toBeGreaterThan(50);
  });
});
