import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { resolveSourceCredential } from '../../src/connectors/source-credentials.js';
import { openSecret, parseSecretKey, sealSecret, SecretBoxError } from '../../src/lib/secret-box.js';

const key = randomBytes(32);
const TOKEN = 'EAAGm0PX4ZCpsBAKZCfbUnitTestToken7f3a9c2e51d84b06';

describe('stored credentials', () => {
  it('seal with AES-256-GCM: the token is not in the stored text, another key or a changed value does not open', () => {
    const sealed = sealSecret(key, TOKEN);
    expect(sealed).toMatch(/^v1:[^:]+:[^:]+:[^:]+$/);
    expect(sealed).not.toContain(TOKEN);
    expect(sealSecret(key, TOKEN)).not.toBe(sealed); // a fresh IV each time
    expect(openSecret(key, sealed)).toBe(TOKEN);
    expect(() => openSecret(randomBytes(32), sealed)).toThrow(SecretBoxError);
    const [v, iv, tag, data] = sealed.split(':');
    const changed = Buffer.from(data!, 'base64');
    changed[0] = changed[0]! ^ 1;
    expect(() => openSecret(key, [v, iv, tag, changed.toString('base64')].join(':'))).toThrow(/cannot be opened with SOURCES_SECRET_KEY/);
  });

  it('read the key as 64 hex digits or base64 of 32 bytes, nothing else', () => {
    expect(parseSecretKey(key.toString('hex'))?.equals(key)).toBe(true);
    expect(parseSecretKey(key.toString('base64'))?.equals(key)).toBe(true);
    expect(parseSecretKey('short')).toBeUndefined();
    expect(parseSecretKey(randomBytes(16).toString('hex'))).toBeUndefined();
  });

  it('resolve from the environment variable first, then the encrypted copy, and say what is missing without a value', () => {
    const sealed = sealSecret(key, TOKEN);
    const env = { sources: { secretKey: key, tokenVariables: { CITY_TOKEN: 'from-env-token' } } };
    expect(resolveSourceCredential({ id: 1, credentialsRef: 'CITY_TOKEN', credentialsEncrypted: null }, env)).toEqual({ ok: true, credential: 'from-env-token' });
    expect(resolveSourceCredential({ id: 1, credentialsRef: null, credentialsEncrypted: sealed }, env)).toEqual({ ok: true, credential: TOKEN });
    const missing = resolveSourceCredential({ id: 2, credentialsRef: 'OTHER_TOKEN', credentialsEncrypted: null }, env);
    expect(missing).toEqual({ ok: false, missing: 'set OTHER_TOKEN in the environment (source 2 reads its token from it)' });
    const noKey = resolveSourceCredential({ id: 3, credentialsRef: null, credentialsEncrypted: sealed }, { sources: { secretKey: undefined, tokenVariables: {} } });
    expect(noKey).toMatchObject({ ok: false, missing: expect.stringContaining('set SOURCES_SECRET_KEY') });
    const wrongKey = resolveSourceCredential({ id: 4, credentialsRef: null, credentialsEncrypted: sealed }, { sources: { secretKey: randomBytes(32), tokenVariables: {} } });
    expect(wrongKey.ok).toBe(false);
    expect(JSON.stringify([missing, noKey, wrongKey])).not.toContain(TOKEN);
  });
});
