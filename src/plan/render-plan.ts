import type { WholeText } from '../output/markdown-budget.js';
import type { Plan } from './plan.js';
import { renderPlanJson } from './render-json.js';
import { renderPlanMarkdown } from './render-markdown.js';
import { renderPlanText } from './render-text.js';

export type PlanFormat = 'text' | 'markdown' | 'json';

/** The `--format` switch of `gatehouse plan`, in one place. */
export function renderPlan(plan: Plan, format: PlanFormat, options: { color?: boolean; maxChars?: number; whole?: WholeText } = {}): string {
  switch (format) {
    case 'text':
      return renderPlanText(plan, options);
    case 'markdown':
      return renderPlanMarkdown(plan, { ...(options.maxChars !== undefined ? { maxChars: options.maxChars } : {}), ...(options.whole ? { whole: options.whole } : {}) });
    case 'json':
      return renderPlanJson(plan);
    default: {
      const never: never = format;
      throw new Error(`unknown plan format ${String(never)}`);
    }
  }
}
