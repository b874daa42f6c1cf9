import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalise } from './normalise.ts';

test('a token is one placeholder even when its base64url text ends like a generated name suffix', () => {
  // A signature can end in '-' plus five letters of the name-suffix alphabet; that must not leave '<jwt><id>'.
  assert.equal(normalise('eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOlsiaHR0cHM6Ly9rdWJl.c2lnbmF0dXJl-bcdfg'), '<jwt>');
});

test('generated pod names and ages still become placeholders', () => {
  assert.equal(normalise('travels-v1-7c9bd8f5b4-x2k9q   2/2   Running   0   5m'), 'travels-v1-<hash>-<id>  2/2  Running  0  <age>');
});
