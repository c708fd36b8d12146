import type { SourceRange } from '../../model/desired.js';
import type { ValuePath } from './locator.js';
import { parseYaml, type ParsedYaml } from './parse-yaml.js';

/**
 * Positions in a file that was read without them (parsePlainYaml). The first time a line or
 * column is needed, the file is parsed again with parseYaml, which records every position, and
 * the answer is looked up by path — the same answer parseYaml's Locator would have given, since
 * both parsers read the file into the same data. A no-op plan never asks, so it never pays.
 */
export class DeferredLocator {
  private parsed: ParsedYaml | undefined;
  private text: string;

  constructor(
    readonly file: string,
    text: string,
  ) {
    this.text = text;
  }

  /**
   * Where `path` inside the value at `docPath` (from the document root) was written, as
   * `Locator.at(valueAtDocPath, path, key)`; line and col are worked out when first read.
   */
  at(docPath: ValuePath, path: ValuePath = [], key = false): SourceRange {
    let resolved: SourceRange | undefined;
    const resolve = (): SourceRange => (resolved ??= this.resolve(docPath, path, key));
    // Own enumerable getters: spreading, JSON and deep equality see line and col like plain fields.
    return {
      file: this.file,
      get line() {
        return resolve().line;
      },
      get col() {
        return resolve().col;
      },
    };
  }

  /** Whether positions were worked out yet (the file parsed a second time). */
  get resolved(): boolean {
    return this.parsed !== undefined;
  }

  private resolve(docPath: ValuePath, path: ValuePath, key: boolean): SourceRange {
    if (this.parsed === undefined) {
      this.parsed = parseYaml(this.file, this.text);
      this.text = '';
    }
    let node: unknown = this.parsed.value;
    for (const segment of docPath) node = node !== null && typeof node === 'object' ? (node as Record<string | number, unknown>)[segment] : undefined;
    const { file, line, col } = this.parsed.locator.at(node, path, key);
    return { file, line, col };
  }
}
