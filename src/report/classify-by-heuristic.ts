import { adminLevelReason } from '../drift/risk-signals.js';
import type { ClassifyPermissionSet } from './access-review.js';

// Until a permission set's privilege is computed from its policies, the review marks what the
// admin heuristic recognises and leaves the rest unclassified rather than guessing "read-only".
export const classifyByHeuristic: ClassifyPermissionSet = (ps, name) => {
  if (!ps) return { level: 'unclassified', reason: `permission set ${name} is not defined` };
  const admin = adminLevelReason(ps);
  return admin ? { level: 'admin', reason: admin } : { level: 'unclassified', reason: 'not analysed' };
};
