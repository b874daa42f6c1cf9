// The command runner: one bash for a step (variables carry over), per-command output and exit codes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCommands, shellEnvFor } from './shell-runner.ts';

test('runs commands in one shell and splits their output and exit codes', async () => {
  const shell = shellEnvFor({ server: 'http://127.0.0.1:1', token: 't' });
  try {
    const r = await runCommands(['X=$((40 + 2))', 'echo "x is $X"', 'echo oops >&2; false', 'printf "no newline"'], shell);
    assert.deepEqual(r.map((c) => c.exitCode), [0, 0, 1, 0]);
    assert.equal(r[1].output, 'x is 42\n');
    assert.equal(r[2].output, 'oops\n');
    assert.equal(r[3].output, 'no newline');
  } finally {
    shell.dispose();
  }
});

test('the lab tools come first on PATH (curl is the offline one)', async () => {
  const shell = shellEnvFor({ server: 'http://127.0.0.1:1', token: 't' });
  try {
    const [r] = await runCommands(['command -v curl'], shell);
    assert.match(r.output, /server\/lab-tools\/curl\n$/);
  } finally {
    shell.dispose();
  }
});
