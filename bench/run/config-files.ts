import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Every YAML file below `dir`, as the YAML-parse baseline reads them (the same set loadConfig reads). */
export function readYamlTexts(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (entry.name.startsWith('.')) continue;
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.ya?ml$/.test(entry.name)) out.push(readFileSync(path, 'utf8'));
    }
  };
  walk(dir);
  return out;
}
