import { describe, expect, it } from 'vitest';
import { gatehouse } from '../helpers/cli.js';

// `report access --account / --user / --permission-set`: the review of one account owner's
// account, one user or one permission set, row for row what the whole review says of it.

const acme = ['--config', 'examples/acme', '--store', 'sqlite:/nonexistent/gatehouse-report-scope.db'];

/** RFC 4180 rows (quoted cells may hold commas, quotes and line breaks). */
function csvRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(cell), (cell = '');
    else if (c === '\r' && text[i + 1] === '\n') rows.push([...row, cell]), (row = []), (cell = ''), i++;
    else cell += c;
  }
  return rows;
}

const review = (extra: string[]) => {
  const r = gatehouse(['report', 'access', '--format', 'csv', ...extra, ...acme]);
  expect(r.code, r.stderr).toBe(0);
  const [header, ...rows] = csvRows(r.stdout);
  return { header: header!, rows };
};

describe('report access, scoped', () => {
  const whole = review([]);
  const column = (name: string) => whole.header.indexOf(name);

  it.each([
    ['--account', 'prod-core', 'account_name'],
    ['--account', '444444444444', 'account_id'],
    ['--user', 'dave@acme.example', 'user'],
    ['--permission-set', 'ReadOnly', 'permission_set'],
  ])('%s %s: the whole review’s rows of it, and only those', (flag, value, field) => {
    const scoped = review([flag, value]);
    expect(scoped.header).toEqual(whole.header);
    const expected = whole.rows.filter((r) => r[column(field)] === value);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(whole.rows.length);
    expect(scoped.rows).toEqual(expected);
  });

  it('an unknown account, user or permission set is an error with did-you-mean', () => {
    const r = gatehouse(['report', 'access', '--account', 'prod-cor', ...acme]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('unknown account "prod-cor"');
    expect(r.stderr).toContain('did you mean `prod-core`?');
    expect(gatehouse(['report', 'access', '--user', 'dave@acme.exampel', ...acme]).stderr).toContain('did you mean `dave@acme.example`?');
  });
});
