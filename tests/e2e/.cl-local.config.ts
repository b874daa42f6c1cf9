import { defineConfig } from '@playwright/test';
export default defineConfig({
  testDir: '/work/main/tests/e2e', timeout: 60_000, expect: { timeout: 15_000 }, workers: 1, reporter: [['list']],
  use: { baseURL: 'http://127.0.0.1:47900', launchOptions: { executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] }, screenshot: 'only-on-failure' },
  outputDir: '/tmp/cl/pw-out',
  projects: [{ name: 'c', use: { browserName: 'chromium' } }],
});
