// The `pgpass` package (node-postgres' own .pgpass reader) ships no types; this is the part we call.
declare module 'pgpass' {
  interface PgPassConnectionInfo {
    readonly host?: string;
    readonly port?: number | string;
    readonly database?: string;
    readonly user?: string;
  }
  /** Looks `connInfo` up in $PGPASSFILE or ~/.pgpass; gives undefined when no line matches or the file is unsafe. */
  function pgpass(connInfo: PgPassConnectionInfo, callback: (password: string | undefined) => void): void;
  export = pgpass;
}
