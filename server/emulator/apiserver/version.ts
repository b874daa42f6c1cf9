/**
 * `/version`: the emulator presents itself as Kubernetes 1.32, so the gcloud kubectl dispatcher on the
 * lab machines picks kubectl 1.32 and no version-skew warning appears with 1.31–1.33 clients.
 */
export const SERVER_VERSION = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.5',
  gitCommit: '9894294ef13a5b32803e3ca2c0d620a088cc84d1',
  gitTreeState: 'clean',
  buildDate: '2025-05-15T09:01:23Z',
  goVersion: 'go1.23.8',
  compiler: 'gc',
  platform: 'linux/amd64',
};
