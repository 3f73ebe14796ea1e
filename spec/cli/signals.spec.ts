/**
 * SIGTERM and SIGHUP end a run as Ctrl-C does: the call is cancelled, the server (in a process
 * group of its own) is closed, and the exit status is 128 + the signal's number. Without handlers
 * for them, the signal would kill the CLI outright and leave the server running.
 */
import { fixtureServer, runCli, signalOnce, type Run } from './support.js';

jest.setTimeout(120_000);

/** Whether a process is still running. */
const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** A server that says its pid on stderr, then never answers (it does not read its stdin). */
const SILENT_SERVER = [
  process.execPath,
  '-e',
  "console.error('server pid ' + process.pid); setInterval(() => {}, 1000)",
];

describe('mcp-progress and stop signals', () => {
  it('SIGTERM while connecting: the server is killed, not orphaned (exit 143)', async () => {
    let serverPid: number | undefined;
    let run: Run;
    try {
      run = await runCli(['call', 'x', '--', ...SILENT_SERVER], {
        onStderr: (stderr, child) => {
          const pid = /server pid (\d+)/.exec(stderr)?.[1];
          if (pid !== undefined && serverPid === undefined) {
            serverPid = Number(pid);
            child.kill('SIGTERM');
          }
        },
      });
    } finally {
      if (serverPid !== undefined && alive(serverPid)) process.kill(serverPid, 'SIGKILL');
    }
    expect(serverPid).toBeDefined();
    expect({ code: run.code, signal: run.signal }).toEqual({ code: 143, signal: null });
    expect(run.stderr).toMatch(/\nmcp-progress: interrupted \(SIGTERM\)\n$/);
    // The CLI waited for the server to exit before it did: nothing is left of it.
    expect(alive(serverPid!)).toBe(false);
  });

  it('SIGHUP during a call: cancels it, the server sees it (exit 129)', async () => {
    const run = await runCli(['call', 'wait', '--', ...fixtureServer], {
      onStdout: signalOnce('waiting to be cancelled', 'SIGHUP'),
    });
    expect(run.code).toBe(129);
    expect(run.stderr).toContain(
      'mcp-progress: cancelled (SIGHUP): the server was sent notifications/cancelled\n',
    );
    expect(run.stderr).toContain('fixture: wait cancelled\n');
  });
});
