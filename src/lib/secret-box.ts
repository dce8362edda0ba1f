/**
 * Credentials stored in the database are encrypted with AES-256-GCM under a
 * key from the environment (SOURCES_SECRET_KEY: 32 bytes, written as 64 hex
 * digits or base64). The stored text is `v1:<iv>:<tag>:<ciphertext>`, each
 * base64; the GCM tag makes a wrong key or a tampered value fail to open
 * rather than give garbage.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** The stored value cannot be opened with this key (another key, or changed). */
export class SecretBoxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = this.constructor.name;
  }
}

/** A 32-byte key from its text (64 hex digits or base64 of 32 bytes); undefined when it is not one. */
export function parseSecretKey(text: string): Buffer | undefined {
  const trimmed = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return Buffer.from(trimmed, 'hex');
  if (/^[A-Za-z0-9+/_-]+=*$/.test(trimmed)) {
    const bytes = Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (bytes.length === 32) return bytes;
  }
  return undefined;
}

export function sealSecret(key: Buffer, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64'), cipher.getAuthTag().toString('base64'), data.toString('base64')].join(':');
}

export function openSecret(key: Buffer, sealed: string): string {
  const [version, iv, tag, data] = sealed.split(':');
  if (version !== 'v1' || !iv || !tag || data === undefined) throw new SecretBoxError('the stored credential is not in a format this version reads');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    throw new SecretBoxError('the stored credential cannot be opened with SOURCES_SECRET_KEY (another key was used to store it, or it was changed)');
  }
}
