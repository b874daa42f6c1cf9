// Browser tests in Debian chromium (never a downloaded browser). One sandbox server for the whole run:
// it (re)builds dist/ only when sources are newer, listens on a free port with a throw-away DATA_DIR,
// and prints its URL; the port is captured from its "listening" log line (TRAVELS_E2E_PORT).
import { defineConfig } from '@playwright/test';

const port = process.env.TRAVELS_E2E_PORT;

export default defineConfig({
  testDir: 'tests/e2e',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: port ? `http://127.0.0.1:${port}` : undefined,
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
    trace: 'retain-on-failure',
  },
  projects: [{ name: 'debian-chromium', use: { browserName: 'chromium' } }],
  webServer: {
    command: 'bash tests/e2e/serve-for-tests.sh',
    wait: { stdout: /"msg":"listening".*?"url":"http:\/\/127\.0\.0\.1:(?<travels_e2e_port>\d+)"/ },
    timeout: 240_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    stderr: 'pipe',
    gracefulShutdown: { signal: 'SIGTERM', timeout: 10_000 },
  },
});
