import { generateSecretKey } from 'nostr-tools/pure';
import { SecretKey } from '../core/jobs/secretKey';

/** What the identity needs of VS Code's SecretStorage (the OS keychain); a plain object in tests. */
export interface SecretStore {
  get(key: string): PromiseLike<string | undefined>;
  store(key: string, value: string): PromiseLike<void>;
  delete(key: string): PromiseLike<void>;
}

/** The SecretStorage entry; the only place the user's Nostr secret key is kept. */
export const SECRET_KEY_ENTRY = 'swarmscope.nostr.secretKey';

/**
 * The user's Nostr key for posting test jobs: made on first use, or imported; kept in SecretStorage only. It is
 * handed out as a SecretKey for one piece of work (`use`) and wiped after it, so it never sits in a field of the
 * panel, and nothing but its npub and hex public key leaves this module.
 */
export class NostrIdentity {
  constructor(private readonly secrets: SecretStore) {}

  /** Runs `work` with the key (made and kept now if there is none yet), then wipes this copy of it. */
  async use<T>(work: (key: SecretKey) => T | Promise<T>): Promise<T> {
    const key = await this.load(true);
    try {
      return await work(key!);
    } finally {
      key!.wipe();
    }
  }

  /** The npub, making the key if there is none yet. */
  async npub(): Promise<string> {
    return this.use((key) => key.npub);
  }

  /** Whether a key is kept (without making one). */
  async exists(): Promise<boolean> {
    return (await this.load(false)) !== undefined;
  }

  /** Keeps the key given (nsec1… or hex), replacing any; throws when it is not a key (the error never quotes it). */
  async import(text: string): Promise<string> {
    const key = SecretKey.parse(text);
    try {
      await this.secrets.store(SECRET_KEY_ENTRY, text.trim());
      return key.npub;
    } finally {
      key.wipe();
    }
  }

  async delete(): Promise<void> {
    await this.secrets.delete(SECRET_KEY_ENTRY);
  }

  private async load(create: boolean): Promise<SecretKey | undefined> {
    const stored = await this.secrets.get(SECRET_KEY_ENTRY);
    if (stored !== undefined) return SecretKey.parse(stored);
    if (!create) return undefined;
    const bytes = generateSecretKey();
    const text = Buffer.from(bytes).toString('hex');
    bytes.fill(0);
    await this.secrets.store(SECRET_KEY_ENTRY, text);
    return SecretKey.parse(text);
  }
}
