import type { Log, ReportingDescriptor, Result } from 'sarif';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { compareStrings } from '../model/keys.js';
import { escapeTerminal } from '../output/escape-terminal.js';
import { repositoryPath, type AnnotationOptions } from './workflow-commands.js';

// Diagnostics as SARIF 2.1.0 (OASIS), for GitHub code scanning: annotations show only the first
// 10 errors of a step, an uploaded SARIF file shows all of them on the pull request and keeps
// them as alerts. Tested against the official schema (test/ci/annotations-sarif.test.ts).

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';

export interface SarifOptions extends AnnotationOptions {
  readonly toolVersion: string;
  /**
   * Where a diagnostic without a location (a plan-level error) is anchored: code scanning needs
   * a location on every result. The config's gatehouse.yaml, repository-relative.
   */
  readonly fallbackFile?: string;
}

/** `a b/c#d.yaml` → `a%20b/c%23d.yaml`: a relative URI reference, each segment encoded. */
const fileUri = (repoPath: string): string => repoPath.split('/').map(encodeURIComponent).join('/');

export function sarifLog(diagnostics: readonly Diagnostic[], options: SarifOptions): Log {
  const ruleIds = [...new Set(diagnostics.map((d) => d.rule))].sort(compareStrings);
  const rules: ReportingDescriptor[] = ruleIds.map((id) => ({
    id,
    name: id.replace(/(^|-)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase()),
    shortDescription: { text: `Gatehouse rule ${id}` },
  }));
  const ruleIndex = new Map(ruleIds.map((id, i) => [id, i]));
  const results: Result[] = diagnostics.map((d) => {
    const file = d.source ? repositoryPath(d.source.file, options) : undefined;
    const anchor = file ?? options.fallbackFile;
    const outside = d.source && file === undefined ? `${escapeTerminal(d.source.file)}:${d.source.line}:${d.source.col}: ` : '';
    return {
      ruleId: d.rule,
      ruleIndex: ruleIndex.get(d.rule)!,
      level: d.severity === 'error' ? 'error' : 'warning',
      message: { text: outside + escapeTerminal(d.message) },
      ...(anchor !== undefined
        ? {
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { uri: fileUri(anchor), uriBaseId: '%SRCROOT%' },
                  region: file !== undefined && d.source ? { startLine: d.source.line, startColumn: d.source.col } : { startLine: 1 },
                },
              },
            ],
          }
        : {}),
    };
  });
  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'Gatehouse',
            semanticVersion: options.toolVersion,
            rules,
          },
        },
        // Columns are counted as the loader counts them: UTF-16 code units of a JavaScript string.
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
}
