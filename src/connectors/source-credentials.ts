/**
 * A source's credential (a Page access token…), read where the source says
 * it is: an environment variable named by `credentials_ref` (the name is
 * stored, never the value), or the database, encrypted with
 * SOURCES_SECRET_KEY (`credentials_encrypted`). The value is only ever
 * handed to the connector that calls the platform; what this module says
 * when it cannot find it names the variable, never a value.
 */
import type { Config } from '../config.js';
import type { SourceRow } from '../db/schema.js';
import { openSecret, SecretBoxError } from '../lib/secret-box.js';

export type CredentialResult =
  | { ok: true; credential: string }
  /** `missing`: why there is none, and what the admin does about it (no secret in it). */
  | { ok: false; missing: string };

/** The credential of `source`: its environment variable first, then its encrypted copy. */
export function resolveSourceCredential(source: Pick<SourceRow, 'id' | 'credentialsRef' | 'credentialsEncrypted'>, config: Pick<Config, 'sources'>): CredentialResult {
  if (source.credentialsRef) {
    const value = config.sources.tokenVariables[source.credentialsRef];
    if (value !== undefined) return { ok: true, credential: value };
    if (!source.credentialsEncrypted) return { ok: false, missing: `set ${source.credentialsRef} in the environment (source ${source.id} reads its token from it)` };
  }
  if (source.credentialsEncrypted) {
    const key = config.sources.secretKey;
    if (!key) return { ok: false, missing: `set SOURCES_SECRET_KEY (source ${source.id}'s token is stored encrypted with it)` };
    try {
      return { ok: true, credential: openSecret(key, source.credentialsEncrypted) };
    } catch (error) {
      if (error instanceof SecretBoxError) return { ok: false, missing: `${error.message}; store the token again with "ardzagank sources add" (source ${source.id})` };
      throw error;
    }
  }
  return { ok: false, missing: `source ${source.id} has no token: add it again with "ardzagank sources add … --token-env VARIABLE" or "--token-stdin"` };
}
