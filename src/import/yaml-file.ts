import { Document } from 'yaml';

/**
 * A YAML file as import writes it: the editor's schema hint first, then the body. Strings are
 * quoted the way YAML 1.1 would need (`"yes"`, `"on"`, `"2025-01-01"`, 12-digit ids), so a
 * human reading the file, or an older parser, never mistakes them for booleans, dates or numbers.
 */
export function yamlFile(schemaPath: string, body: unknown, comment?: string): string {
  const doc = new Document(body, { version: '1.1' });
  const header = [`# yaml-language-server: $schema=${schemaPath}`, ...(comment ? comment.split('\n').map((l) => `# ${l}`) : [])];
  return `${header.join('\n')}\n${doc.toString({ lineWidth: 0 })}`;
}
