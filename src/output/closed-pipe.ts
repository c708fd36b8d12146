// `gatehouse plan | head -1`: once the reader has gone, further writes fail with EPIPE. Like the
// Unix tools, end quietly instead of printing a stack trace; the command itself keeps going to
// its end (an apply must still finish its wave and write its audit records), only its output is
// dropped. The exit status is the command's own.

export function endQuietlyOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE' && err.code !== 'ERR_STREAM_DESTROYED') throw err;
    stream.write = (() => true) as typeof stream.write;
  });
}
