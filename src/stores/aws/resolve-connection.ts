import { UserError } from '../../diagnostics/errors.js';
import { hasProfile, type AwsSharedFiles } from './aws-profiles.js';

// Which profile and region the AWS store uses, decided once, before any SDK client exists, so
// a wrong name is one line naming it rather than an SDK error about credentials (issue 12) and
// no region ever defaults silently (issue 9: AWS_REGION used to be ignored for us-east-1).
//
// Region, first found wins: `--region` (or `--store aws:REGION`), the config's
// `instance.region` (the instance lives there, whatever the shell says), then as the AWS CLI:
// AWS_REGION, AWS_DEFAULT_REGION, the profile's `region` in the config file.
// Profile: `--profile`, then AWS_PROFILE; a profile named either way must exist, as the AWS CLI
// requires ("The config profile (x) could not be found"). Without one, `default` is read for
// its region only, and may be absent.

export interface ConnectionInput {
  /** `--region` or the REGION of `--store aws:REGION`. */
  readonly region?: string;
  /** `instance.region` from gatehouse.yaml. */
  readonly configRegion?: string;
  /** `--profile`. */
  readonly profile?: string;
}

export interface AwsConnection {
  readonly region: string;
  /** Where the region came from, for messages: `--region`, `AWS_REGION`, `profile "x"`… */
  readonly regionSource: string;
  /** The profile to hand the SDK; undefined leaves its default chain alone. */
  readonly profile?: string;
}

type Env = Readonly<Record<string, string | undefined>>;

export function resolveConnection(input: ConnectionInput, env: Env, files: AwsSharedFiles): AwsConnection {
  const named = nonEmpty(input.profile) ?? nonEmpty(env.AWS_PROFILE);
  const namedBy = nonEmpty(input.profile) !== undefined ? '--profile' : 'AWS_PROFILE';
  if (named !== undefined && !hasProfile(files, named)) {
    throw new UserError(`${namedBy} ${named}: no such AWS profile in ${files.configFile} or ${files.credentialsFile}`);
  }
  const profile = named ?? 'default';
  const profileRegion = nonEmpty(files.config.get(profile)?.region);
  const candidates: readonly [string | undefined, string][] = [
    [nonEmpty(input.region), '--region'],
    [nonEmpty(input.configRegion), 'instance.region in gatehouse.yaml'],
    [nonEmpty(env.AWS_REGION), 'AWS_REGION'],
    [nonEmpty(env.AWS_DEFAULT_REGION), 'AWS_DEFAULT_REGION'],
    [profileRegion, `the region of profile ${profile} in ${files.configFile}`],
  ];
  const found = candidates.find(([value]) => value !== undefined);
  if (!found) {
    throw new UserError(
      `no AWS region: pass --region, set instance.region in gatehouse.yaml, set AWS_REGION, or give profile ${profile} a region in ${files.configFile}`,
    );
  }
  const [region, regionSource] = found as [string, string];
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) throw new UserError(`${regionSource}: "${region}" is not an AWS region name (e.g. eu-west-1)`);
  return { region, regionSource, ...(named !== undefined ? { profile: named } : {}) };
}

const nonEmpty = (s: string | undefined): string | undefined => (s === undefined || s.trim() === '' ? undefined : s.trim());
