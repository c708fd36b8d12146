// When output may be coloured, as the CLIs people know decide it: never with NO_COLOR set to
// anything non-empty (no-color.org), never on TERM=dumb, never when the stream is not a
// terminal (a pipe, a file, a CI log), and never with --no-color.

export interface ColorContext {
  readonly flag?: boolean;
  readonly isTTY?: boolean;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** True when the environment forbids colour whatever the stream is. */
export function colorForbiddenByEnv(env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  return (env.NO_COLOR !== undefined && env.NO_COLOR !== '') || env.TERM === 'dumb';
}

export function useColor(ctx: ColorContext = {}): boolean {
  return ctx.flag !== false && ctx.isTTY === true && !colorForbiddenByEnv(ctx.env);
}
