import type { Organization } from '../model/entities.js';
import type { Settings, SourceRange } from '../model/desired.js';
import type { Assignment, Group, Guardrail, PermissionSet, User } from '../model/generated/config.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { ValuePath } from './yaml/locator.js';

/** One schema-valid entity as written, with the way back to its source. */
export interface Entry<T> {
  readonly value: T;
  readonly file: string;
  /**
   * Its place in its file's list of the section (0-based). Entries of one file come in this
   * order, which is the order they were written in: two of one file compare by it without
   * their lines, which a fast-path file only has once it is parsed again (DeferredLocator).
   */
  readonly position?: number;
  /** Where the entity (no path) or one of its fields/items was written; `key` for the key itself. */
  at(path?: ValuePath, key?: boolean): SourceRange;
}

/** The inline policy of a permission set, read from its file or written inline. */
export interface InlinePolicyInput {
  readonly document: unknown;
  /** The JSON file it came from (display path), when it was a file reference. */
  readonly file?: string;
}

export interface PermissionSetEntry extends Entry<PermissionSet> {
  readonly inlinePolicy?: InlinePolicyInput;
}

/** Every schema-valid entity of every file, in file order; what the semantic rules check. */
export interface ConfigEntries {
  readonly users: readonly Entry<User>[];
  readonly groups: readonly Entry<Group>[];
  readonly permissionSets: readonly PermissionSetEntry[];
  readonly assignments: readonly Entry<Assignment>[];
  readonly guardrails: readonly Entry<Guardrail>[];
  /**
   * Names of entities that failed the schema check. They were written, so a reference to one
   * is not reported as unknown on top of the schema error.
   */
  readonly invalidNames: {
    readonly users: ReadonlySet<string>;
    readonly groups: ReadonlySet<string>;
    readonly permissionSets: ReadonlySet<string>;
  };
}

export interface RuleContext {
  readonly entries: ConfigEntries;
  readonly settings: Settings;
  /** The organisation named by the settings, when it loaded without errors. */
  readonly organization?: Organization;
  readonly now: Date;
  /** AWS managed policies by their path after `policy/`, from the dataset the caller reads (on first call); unchecked without. */
  readonly awsManagedPolicies?: () => ReadonlySet<string>;
}

/** A semantic rule: reads the entries, returns its findings. */
export type ConfigRule = (ctx: RuleContext) => Diagnostic[];

export const error = (rule: string, message: string, source: SourceRange): Diagnostic => ({
  severity: 'error',
  rule,
  message,
  source,
});

export const warning = (rule: string, message: string, source: SourceRange): Diagnostic => ({
  severity: 'warning',
  rule,
  message,
  source,
});

/** `users.yaml:3:5`, to name the other place in a message. */
export const where = (s: SourceRange): string => `${s.file}:${s.line}:${s.col}`;
