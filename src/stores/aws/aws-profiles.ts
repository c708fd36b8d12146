import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

// The AWS CLI's shared files, read the way the CLI reads them, for two answers only: does a
// profile exist, and which region does it name. (AWS CLI User Guide, "Configuration and
// credential file settings": `~/.aws/config` holds `[default]` and `[profile NAME]` sections,
// `~/.aws/credentials` holds `[NAME]` sections; AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE
// move them.) Credentials themselves are left to the SDK's provider chain.

export type IniSections = ReadonlyMap<string, Readonly<Record<string, string>>>;

export interface AwsSharedFiles {
  readonly configFile: string;
  readonly credentialsFile: string;
  /** Profiles of the config file by profile name (`[profile x]` → x, `[default]` → default). */
  readonly config: IniSections;
  /** Profiles of the credentials file by name. */
  readonly credentials: IniSections;
}

type Env = Readonly<Record<string, string | undefined>>;

export function readAwsSharedFiles(env: Env = process.env): AwsSharedFiles {
  const home = env.HOME || homedir();
  const configFile = env.AWS_CONFIG_FILE || path.join(home, '.aws', 'config');
  const credentialsFile = env.AWS_SHARED_CREDENTIALS_FILE || path.join(home, '.aws', 'credentials');
  return {
    configFile,
    credentialsFile,
    config: parseAwsIni(readIfPresent(configFile), 'config'),
    credentials: parseAwsIni(readIfPresent(credentialsFile), 'credentials'),
  };
}

/** A missing or unreadable file is as good as an empty one: the CLI treats it so. */
function readIfPresent(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/**
 * Sections and their top-level `key = value` lines. In the config file a profile is
 * `[profile NAME]` (or `[default]`); other section types (`[sso-session x]`, `[services x]`)
 * are not profiles. Indented lines continue a nested value (`s3 =` blocks) and are skipped.
 */
export function parseAwsIni(text: string, kind: 'config' | 'credentials'): IniSections {
  const sections = new Map<string, Record<string, string>>();
  let current: Record<string, string> | undefined;
  for (const raw of text.split(/\r\n|\n|\r/)) {
    if (/^\s*([#;]|$)/.test(raw)) continue;
    const header = /^\s*\[\s*([^\]]*?)\s*\]\s*$/.exec(raw);
    if (header) {
      const name = profileName(header[1]!, kind);
      if (name === undefined) current = undefined;
      else {
        // The CLI prefers `[profile default]` over `[default]` when both exist; merging keeps both.
        current = sections.get(name) ?? {};
        sections.set(name, current);
      }
      continue;
    }
    if (current === undefined || /^\s/.test(raw)) continue;
    const eq = raw.indexOf('=');
    if (eq < 0) continue;
    const key = raw.slice(0, eq).trim().toLowerCase();
    if (key !== '') current[key] = raw.slice(eq + 1).trim();
  }
  return sections;
}

function profileName(header: string, kind: 'config' | 'credentials'): string | undefined {
  if (kind === 'credentials') return header;
  if (header === 'default') return 'default';
  const m = /^profile\s+(.+)$/.exec(header);
  return m ? m[1]!.trim() : undefined;
}

export const hasProfile = (files: AwsSharedFiles, name: string): boolean => files.config.has(name) || files.credentials.has(name);
