import type { Command } from 'commander';
import { diagnosticToJson, formatDiagnostic, sortDiagnostics, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { stringifyJson } from '../../output/escape-json.js';
import { plural } from '../../output/plural.js';
import { UserError } from '../../diagnostics/errors.js';
import { checkGuardrails } from '../../access/guardrails.js';
import { loadConfig, type ConfigLoadResult } from '../../config/load-config.js';
import { expandAssignments } from '../../expand/expand-assignments.js';
import { requireConfigRoot } from '../context.js';
import { privilegeModel } from '../../datasets/privilege-data.js';
import { action, EXIT_ERROR, EXIT_OK } from '../exit.js';
import { addGitHubOptions, configReadPath, publishDiagnostics, withDiagnosticOutput, type GitHubOptions } from '../../ci/diagnostic-output.js';

interface ValidateOptions extends GitHubOptions {
  readonly config: string;
  readonly format: string;
}

export function registerValidateCommand(program: Command): void {
  const cmd = program
    .command('validate')
    .description('Check the config: schema, AWS limits, references, names, policies; prints file:line:col: messages')
    .option('--config <dir>', 'config directory', '.')
    .option('--format <format>', 'output format: text | json', 'text');
  addGitHubOptions(cmd, 'nothing else');
  cmd.action(action(async (options: ValidateOptions) => withDiagnosticOutput(options, program.version() ?? '', () => runValidate(options))));
}

async function runValidate(options: ValidateOptions): Promise<number> {
  if (options.format !== 'text' && options.format !== 'json')
    throw new UserError(`unknown --format ${options.format}; use text or json`);
  requireConfigRoot(configReadPath(options.config));
  const loaded = await loadConfig(configReadPath(options.config));
  const result = { ...loaded, diagnostics: sortDiagnostics([...loaded.diagnostics, ...guardrailDiagnostics(loaded)]) };
  const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = result.diagnostics.length - errors;
  publishDiagnostics(result.diagnostics);

  if (options.format === 'json') {
    // schemas/output/validate.schema.json
    const document = { format_version: 1, valid: errors === 0 && !!result.desired, errors, warnings, diagnostics: result.diagnostics.map(diagnosticToJson) };
    process.stdout.write(`${stringifyJson(document)}\n`);
  } else {
    for (const d of result.diagnostics) process.stdout.write(`${formatDiagnostic(d)}\n`);
    if (errors > 0 || !result.desired) {
      process.stderr.write(`${plural(errors, 'error')}, ${plural(warnings, 'warning')}\n`);
    } else {
      const d = result.desired;
      const rules = d.assignments.length;
      const summary = `Config is valid: ${plural(d.users.length, 'user')}, ${plural(d.groups.length, 'group')}, ${plural(d.permissionSets.length, 'permission set')}, ${plural(rules, 'assignment rule')}`;
      process.stdout.write(`${summary}${warnings > 0 ? ` (${plural(warnings, 'warning')})` : ''}\n`);
    }
  }
  return errors > 0 || !result.desired ? EXIT_ERROR : EXIT_OK;
}

/**
 * Guardrails need the organisation to expand targets; validate checks them when the config names
 * an organisation file (the embedded store), so a pull request learns of a violation without
 * reading any live store. `plan` checks them against the live organisation in every case.
 */
function guardrailDiagnostics(result: ConfigLoadResult): Diagnostic[] {
  if (!result.desired || !result.organization || result.desired.guardrails.length === 0) return [];
  const now = new Date();
  const expansion = expandAssignments(result.desired.assignments, result.organization, now);
  return checkGuardrails({
    guardrails: result.desired.guardrails,
    assignments: expansion.tuples,
    memberships: result.desired.memberships,
    organization: result.organization,
    permissionSets: result.desired.permissionSets,
    assignmentRules: result.desired.assignments,
    now,
    privilege: privilegeModel(),
  });
}

