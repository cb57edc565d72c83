const MAX_BUFFERED_LINES = 512;

/**
 * Log lines to stdout, written once per event-loop turn instead of once per line:
 * stdout to a pipe (a container's log driver) is a blocking write on Linux, and a
 * write per request line showed as the biggest cost of access logging under load.
 * Lines still left when the process exits are written on the way out.
 */
export function stdoutLines(): (line: string) => void {
  let lines: string[] = [];
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (!lines.length) return;
    const chunk = `${lines.join('\n')}\n`;
    lines = [];
    process.stdout.write(chunk);
  };
  process.on('exit', flush);
  return (line) => {
    lines.push(line);
    if (lines.length >= MAX_BUFFERED_LINES) flush();
    else if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  };
}
