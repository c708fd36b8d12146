import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { visible } from '../rules/principal-names.js';
import { lineStartsOf, Locator } from './locator.js';
import { conservativeDepthProblem, MAX_DEPTH, prescanYamlText } from './prescan.js';

export interface ParsedYaml {
  readonly file: string;
  /** The file as plain data; undefined when it could not be parsed at all. */
  readonly value: unknown;
  readonly locator: Locator;
  readonly diagnostics: readonly Diagnostic[];
  /**
   * JSON pointers of values already reported as unquoted YAML 1.1 booleans, so the schema check
   * does not report them a second time.
   */
  readonly reportedPointers: ReadonlySet<string>;
}

export interface ParseYamlOptions {
  /** Alias expansions allowed per file; a billion-laughs file hits this immediately. */
  readonly maxAliasCount?: number;
  readonly maxDepth?: number;
}

/** Keys that would reach Object.prototype when a consumer copies the data into an object. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** An escape (`"\\ud800"`) can write half of a UTF-16 pair, which is no character: the store keeps U+FFFD. */
export const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Nodes that alias expansion may add to a file; a config that needs more should write them out. */
export const MAX_EXPANDED_NODES = 100_000;

/** YAML 1.1 read these as booleans; YAML 1.2 (and we) as strings — the "Norway problem". */
const YAML11_BOOLEANS = /^(?:yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF)$/;

/**
 * Parses one YAML file into plain data with the position of every map and sequence entry.
 * Hostile input (binary, deep nesting, alias bombs, duplicate or prototype keys, YAML 1.1
 * booleans) becomes diagnostics, never an exception.
 */
export function parseYaml(file: string, text: string, options: ParseYamlOptions = {}): ParsedYaml {
  const maxAliasCount = options.maxAliasCount ?? 100;
  const maxDepth = options.maxDepth ?? MAX_DEPTH;
  if (text.charCodeAt(0) === 0xfeff) text = ` ${text.slice(1)}`; // BOM: keep offsets stable
  const pre = prescanYamlText(text, new Locator(file, lineStartsOf(text)), maxDepth);
  if (pre) return { file, value: undefined, locator: new Locator(file, [0]), diagnostics: [pre], reportedPointers: new Set() };

  const lineCounter = new LineCounter();
  let doc;
  try {
    // uniqueKeys: false because yaml's own check compares every pair of keys (quadratic: 100k
    // keys took over a minute); convertMap finds duplicates with a Map instead.
    doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false, version: '1.2' });
  } catch (err) {
    // The parser should not throw on any input; if it does, the file is still only "invalid".
    // A stack overflow means nesting the prescan did not see (it was misled about what is
    // quoted): locate it by counting brackets with no regard to quotes.
    const locator = new Locator(file, lineStartsOf(text));
    const deep = err instanceof RangeError ? conservativeDepthProblem(text, locator, maxDepth) : undefined;
    const diagnostic: Diagnostic = deep ?? {
      severity: 'error',
      rule: err instanceof RangeError ? 'too-deep' : 'yaml-syntax',
      message: err instanceof RangeError ? 'the file is nested too deeply to parse; flatten it' : 'the YAML parser failed on this file; check its syntax',
      source: locator.position(0),
    };
    return { file, value: undefined, locator, diagnostics: [diagnostic], reportedPointers: new Set() };
  }
  const locator = new Locator(file, lineCounter.lineStarts);
  const diagnostics: Diagnostic[] = [];
  // The parser records some stack overflows as an error of the document rather than throwing.
  if (doc.errors.some((e) => /call stack/i.test(e.message))) {
    const deep = conservativeDepthProblem(text, locator, maxDepth);
    if (deep) return { file, value: undefined, locator, diagnostics: [deep], reportedPointers: new Set() };
  }
  for (const problem of [...doc.errors, ...doc.warnings]) {
    diagnostics.push({
      severity: 'error',
      rule: 'yaml-syntax',
      message: yamlMessage(problem.code, problem.message),
      source: locator.position(problem.pos[0]),
    });
  }
  if (diagnostics.length > 0) return { file, value: undefined, locator, diagnostics, reportedPointers: new Set() };

  const converter = new Converter(locator, diagnostics, maxAliasCount, maxDepth);
  const value = doc.contents === null ? null : converter.convert(doc.contents as Node, 1);
  // A file that tried to exhaust us is not worth checking further.
  const hostile = converter.tooDeepReported || converter.aliasesReported;
  return { file, value: hostile ? undefined : value, locator, diagnostics, reportedPointers: converter.reportedPointers };
}

function yamlMessage(code: string, message: string): string {
  const first = message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
  switch (code) {
    case 'TAB_AS_INDENT':
      return 'tabs are not allowed as indentation in YAML; indent with spaces';
    case 'MULTIPLE_DOCS':
      return 'the file holds several YAML documents (---); keep one document per file';
    default:
      return `invalid YAML: ${first}`;
  }
}

class Converter {
  readonly reportedPointers = new Set<string>();
  private readonly anchors = new Map<string, Node>();
  private readonly path: (string | number)[] = [];
  private aliases = 0;
  /** Nodes built while expanding aliases, and how many alias expansions are open. */
  private expandedNodes = 0;
  private inAlias = 0;
  tooDeepReported = false;
  aliasesReported = false;

  constructor(
    private readonly locator: Locator,
    private readonly diagnostics: Diagnostic[],
    private readonly maxAliasCount: number,
    private readonly maxDepth: number,
  ) {}

  convert(node: Node, depth: number): unknown {
    if (this.aliasesReported) return undefined;
    if (node.anchor) this.anchors.set(node.anchor, node);
    if (isAlias(node)) return this.expandAlias(node, depth);
    if (this.inAlias > 0 && ++this.expandedNodes > MAX_EXPANDED_NODES) {
      this.aliasesReported = true;
      this.error(node, 'alias-expansion', `the aliases in this file expand to more than ${MAX_EXPANDED_NODES} values; write the values out or use fewer aliases of large anchors`);
      return undefined;
    }
    if (depth > this.maxDepth) {
      if (!this.tooDeepReported) {
        this.tooDeepReported = true;
        this.error(node, 'too-deep', `values are nested deeper than ${this.maxDepth} levels; no Gatehouse config needs that, flatten the file`);
      }
      return undefined;
    }
    if (isMap(node)) return this.convertMap(node, depth);
    if (isSeq(node)) {
      const out: unknown[] = [];
      const offsets = this.locator.register(out, node.range?.[0] ?? 0, false);
      node.items.forEach((item, i) => {
        this.path.push(i);
        offsets.values.set(i, offsetOf(item as Node));
        out.push(this.convertChild(item as Node, out, i, depth));
        this.path.pop();
      });
      return out;
    }
    if (isScalar(node)) {
      if (node.value !== null && typeof node.value === 'object') {
        // Reported here; the schema need not say the value left in its place is missing.
        this.reportedPointers.add(pointer(this.path));
        this.error(node, 'yaml-syntax', `the tag ${node.tag ?? ''} is not supported; write plain text, numbers or true/false`);
        return undefined;
      }
      if (node.type === 'PLAIN' && typeof node.value === 'string' && YAML11_BOOLEANS.test(node.value)) {
        this.reportedPointers.add(pointer(this.path));
        const truthy = /^(?:yes|on)$/i.test(node.value);
        this.error(
          node,
          'yaml11-boolean',
          `unquoted \`${node.value}\` is the boolean ${truthy} in YAML 1.1 but the string "${node.value}" in YAML 1.2; write ${truthy} for a boolean, or quote it ("${node.value}") for text`,
        );
      }
      if (typeof node.value === 'string' && LONE_SURROGATE.test(node.value)) {
        // Kept as written: the error already rejects the file, and the schema need not say more.
        this.error(node, 'lone-surrogate', 'the text holds a lone UTF-16 surrogate (an escape such as "\\ud800" without its pair), which is no character; the store would keep U+FFFD. Remove it');
      }
      return node.value;
    }
    return undefined;
  }

  private convertMap(node: Extract<Node, { items: unknown[] }> & { items: unknown[] }, depth: number): unknown {
    const out: Record<string, unknown> = {};
    const offsets = this.locator.register(out, node.range?.[0] ?? 0, true);
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const keyNode = pair.key as Node | null;
      if (keyNode !== null && !isScalar(keyNode)) {
        this.error(keyNode, 'yaml-syntax', 'map keys must be plain text, not a map or a list');
        continue;
      }
      const key = keyNode === null || keyNode.value === null ? '' : String(keyNode.value);
      const keyOffset = keyNode ? offsetOf(keyNode) : offsets.start;
      if (LONE_SURROGATE.test(key)) {
        this.diagnostics.push({ severity: 'error', rule: 'lone-surrogate', message: 'the key holds a lone UTF-16 surrogate (an escape such as "\\ud800" without its pair), which is no character; remove it', source: this.locator.position(keyOffset) });
        continue;
      }
      if (FORBIDDEN_KEYS.has(key)) {
        this.diagnostics.push({
          severity: 'error',
          rule: 'forbidden-key',
          message: `the key \`${visible(key)}\` is not allowed (it could alter object prototypes); remove it`,
          source: this.locator.position(keyOffset),
        });
        continue;
      }
      const first = offsets.keys!.get(key);
      if (first !== undefined) {
        const at = this.locator.position(first);
        this.diagnostics.push({
          severity: 'error',
          rule: 'duplicate-key',
          message: `the key \`${visible(key)}\` is written twice in the same map (first at line ${at.line}); YAML tools disagree on which one wins, so remove or merge one`,
          source: this.locator.position(keyOffset),
        });
        continue;
      }
      offsets.keys!.set(key, keyOffset);
      const valueNode = pair.value as Node | null;
      offsets.values.set(key, valueNode ? offsetOf(valueNode) : keyOffset);
      this.path.push(key);
      out[key] = valueNode ? this.convertChild(valueNode, out, key, depth) : null;
      this.path.pop();
    }
    return out;
  }

  private convertChild(node: Node, parent: object, key: string | number, depth: number): unknown {
    const value = this.convert(node, depth + 1);
    if (typeof value === 'number' && isScalar(node) && node.source !== undefined)
      this.locator.recordNumberSource(parent, key, node.source);
    return value;
  }

  private expandAlias(node: Node & { source: string }, depth: number): unknown {
    this.aliases++;
    if (this.aliases > this.maxAliasCount) {
      if (!this.aliasesReported) {
        this.aliasesReported = true;
        this.error(
          node,
          'too-many-aliases',
          `more than ${this.maxAliasCount} alias expansions (*name) in one file; this looks like an alias bomb — write the values out or use fewer aliases`,
        );
      }
      return undefined;
    }
    const target = this.anchors.get(node.source);
    if (!target) {
      this.error(node, 'yaml-syntax', `the alias *${node.source} refers to no anchor &${node.source} before it`);
      return undefined;
    }
    this.inAlias++;
    try {
      return this.convert(target, depth);
    } finally {
      this.inAlias--;
    }
  }

  private error(node: Node, rule: string, message: string): void {
    this.diagnostics.push({ severity: 'error', rule, message, source: this.locator.position(offsetOf(node)) });
  }
}

const offsetOf = (node: Node): number => node.range?.[0] ?? 0;

/** RFC 6901 JSON pointer, the form ajv reports as instancePath. */
export const pointer = (path: readonly (string | number)[]): string =>
  path.map((s) => `/${String(s).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
