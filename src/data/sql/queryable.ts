/** The part of a pg client the data module's SQL helpers need (a PoolClient inside a transaction). */
export interface Queryable {
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: R[] }>;
}
