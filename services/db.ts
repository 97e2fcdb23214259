/**
 * The services' database: one small interface, two implementations speaking the same SQL
 * (PostgreSQL's dialect): PGlite (PostgreSQL compiled to WebAssembly, embedded, no server) by default,
 * and a PostgreSQL server through `pg` when a connection URL is given. Both run the same migrations.
 */
import { PGlite } from "@electric-sql/pglite";
import { Pool, types as pgTypes, type PoolClient } from "pg";
import { MIGRATIONS } from "./migrations";

/** Something that runs one parameterised statement ($1, $2, …) and returns its rows. */
export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
}

export interface Db extends Queryable {
  readonly kind: "pglite" | "postgres";
  /** Runs `fn` in one transaction: all its statements or none. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

// int8 columns (block numbers, timestamps) come back as JS numbers in both drivers: block numbers and
// unix times fit 2^53. Amounts are numeric(78,0) and come back as decimal strings in both.
const INT8_OID = 20;
const parseInt8 = (value: string) => Number(value);

class PgliteDb implements Db {
  readonly kind = "pglite" as const;
  constructor(private readonly pg: PGlite) {}
  async query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.pg.query<T>(sql, params)).rows;
  }
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.pg.transaction((tx) =>
      fn({ query: async <R>(sql: string, params: unknown[] = []) => (await tx.query<R>(sql, params)).rows }),
    );
  }
  exec(sql: string): Promise<unknown> {
    return this.pg.exec(sql);
  }
  close(): Promise<void> {
    return this.pg.close();
  }
}

class PostgresDb implements Db {
  readonly kind = "postgres" as const;
  constructor(private readonly pool: Pool) {}
  async query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.pool.query(sql, params)).rows as T[];
  }
  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const client: PoolClient = await this.pool.connect();
    try {
      await client.query("BEGIN");
      const result = await fn({
        query: async <R>(sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows as R[],
      });
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
  close(): Promise<void> {
    return this.pool.end();
  }
}

/**
 * Opens the database: PostgreSQL at `databaseUrl` when given, else PGlite in `dataDir` (in memory when
 * `dataDir` is undefined), and brings its schema up to date.
 */
export async function openDb(options: { databaseUrl?: string; dataDir?: string }): Promise<Db> {
  let db: Db;
  if (options.databaseUrl) {
    const pool = new Pool({
      connectionString: options.databaseUrl,
      max: 4,
      types: {
        getTypeParser: ((oid: number, format?: "text" | "binary") =>
          oid === INT8_OID ? parseInt8 : pgTypes.getTypeParser(oid, format)) as typeof pgTypes.getTypeParser,
      },
    });
    db = new PostgresDb(pool);
  } else {
    const pg = await PGlite.create(options.dataDir, { parsers: { [INT8_OID]: parseInt8 } });
    db = new PgliteDb(pg);
  }
  await migrate(db);
  return db;
}

/**
 * Applies the migrations not yet recorded in `schema_migrations`, each in its own transaction, under an
 * advisory lock so two processes starting together on one PostgreSQL do not both apply one.
 */
export async function migrate(db: Db): Promise<number[]> {
  const applied: number[] = [];
  await db.transaction(async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock(4242001)");
    await tx.query(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version int PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
    );
    const done = new Set(
      (await tx.query<{ version: number }>("SELECT version FROM schema_migrations")).map((r) => r.version),
    );
    for (const migration of MIGRATIONS) {
      if (done.has(migration.version)) continue;
      for (const statement of migration.statements) await tx.query(statement);
      await tx.query("INSERT INTO schema_migrations (version) VALUES ($1)", [migration.version]);
      applied.push(migration.version);
    }
  });
  return applied;
}
