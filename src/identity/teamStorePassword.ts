import type { SecretStore } from './nostrIdentity';

/** The SecretStorage entry; the only place the team store's password is kept (never in settings, never logged). */
export const TEAM_STORE_PASSWORD_ENTRY = 'swarmscope.storage.password';

/** The password for `swarmscope.storage.url`, kept in SecretStorage (the OS keychain). */
export class TeamStorePassword {
  constructor(private readonly secrets: SecretStore) {}

  /** The kept password; undefined lets the engine fall back to PGPASSWORD and ~/.pgpass. */
  async get(): Promise<string | undefined> {
    return (await this.secrets.get(TEAM_STORE_PASSWORD_ENTRY)) || undefined;
  }

  async set(password: string): Promise<void> {
    await this.secrets.store(TEAM_STORE_PASSWORD_ENTRY, password);
  }

  async clear(): Promise<void> {
    await this.secrets.delete(TEAM_STORE_PASSWORD_ENTRY);
  }
}
