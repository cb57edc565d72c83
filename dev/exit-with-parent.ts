// Loaded with `--import` into every process the bench starts. The bench talks to
// its children over an IPC channel, which closes when the bench process ends for
// any reason (even SIGKILL): the child then stops itself rather than linger.
if (process.channel) {
  process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
}
