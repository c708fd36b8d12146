import { formatDiagnostic, type Diagnostic } from '../../src/diagnostics/diagnostic.js';
import type { Organization } from '../../src/model/entities.js';
import { parseConfigFiles, type ParsedConfig } from '../../src/config/parse-config-files.js';
import { parseOrganization } from '../../src/config/organization-file.js';
import type { PositionMode } from '../../src/config/yaml/parse-plain-yaml.js';

export const NOW = new Date('2026-11-29T12:00:00Z');

export interface ParseOptions {
  readonly now?: Date;
  readonly organization?: Organization;
  readonly policies?: Record<string, string>;
  readonly positions?: PositionMode;
}

/** Parses in-memory files; a `gatehouse.yaml` with `version: 1` is added unless given. */
export function parseFiles(files: Record<string, string>, options: ParseOptions = {}): ParsedConfig {
  const all = { 'gatehouse.yaml': 'version: 1\n', ...files };
  return parseConfigFiles(
    Object.entries(all).map(([path, text]) => ({ path, text })),
    {
      now: options.now ?? NOW,
      rootFile: 'gatehouse.yaml',
      ...(options.organization && { organization: options.organization }),
      ...(options.positions && { positions: options.positions }),
      readFile: (path) => {
        const text = options.policies?.[path];
        return text === undefined ? { rule: 'read-file', error: 'no such file' } : { text };
      },
    },
  );
}

/** Formatted diagnostics of one rule (or all when rule is omitted). */
export function messages(result: { diagnostics: readonly Diagnostic[] }, rule?: string): string[] {
  return result.diagnostics.filter((d) => rule === undefined || d.rule === rule).map(formatDiagnostic);
}

export const ORGANIZATION_YAML = `managementAccountId: "111111111111"
accounts:
  - { id: "111111111111", name: management }
ous:
  - name: Workloads
    ous:
      - name: Prod
        accounts:
          - { id: "222222222222", name: prod-core, tags: { env: prod } }
          - { id: "012345678901", name: prod-data, tags: { env: prod, team: data } }
      - name: NonProd
        accounts:
          - { id: "333333333333", name: staging, tags: { env: staging } }
`;

export function organization(): Organization {
  const result = parseOrganization(ORGANIZATION_YAML, 'organization.yaml');
  if (!result.organization) throw new Error(result.diagnostics.map(formatDiagnostic).join('\n'));
  return result.organization;
}

export const USERS_YAML = `users:
  - userName: alice
    displayName: Alice Liddell
    name: { given: Alice, family: Liddell }
  - userName: bob
    displayName: Bob Builder
    name: { given: Bob, family: Builder }
`;
