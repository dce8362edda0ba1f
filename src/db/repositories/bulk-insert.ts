/**
 * Inserts of many rows as one statement whose text does not grow with the
 * number of rows: one array parameter per column, turned back into rows by
 * `unnest`.
 *
 * Why not Kysely's multi-row `values()`: the hot path of ingest stores a few
 * dozen rows per statement into tables of 10–16 columns. As `VALUES` lists
 * those are hundreds of parameters, each compiled by Kysely, sent by `pg` and
 * parsed and planned by PostgreSQL for every batch size anew; as arrays they
 * are a handful of parameters and one plan shape. Measured on the service
 * under load, this is a visible share of the CPU per inquiry (see the
 * pipeline benchmark).
 *
 * Values are passed as text where the drivers differ (timestamps as ISO
 * strings, JSON as its text, which callers serialise and make storable), so
 * `pg` sends the same
 * thing; SQL casts them back.
 */
import { sql, type RawBuilder } from 'kysely';
import type { Database } from '../schema.js';

/** SQL types a bulk column can have. */
export type BulkColumnType = 'text' | 'timestamptz' | 'boolean' | 'bigint' | 'jsonb';

/** What a row gives for a column: `text` and `jsonb` (JSON text) as strings. */
type BulkValue<T extends BulkColumnType> = T extends 'boolean' ? boolean | null : T extends 'bigint' ? number | null : T extends 'timestamptz' ? Date | null : string | null;

/** One column of a bulk insert: its SQL name (snake_case), type and how a row gives its value. */
export interface BulkColumn<Row, T extends BulkColumnType = BulkColumnType> {
  name: string;
  type: T;
  value: (row: Row) => BulkValue<T>;
  /** What a null value becomes (the column's default, say `now()`): an array element cannot be DEFAULT. */
  orElse?: RawBuilder<unknown>;
}

/** A column definition with its value type checked against its SQL type. */
export function column<Row, T extends BulkColumnType>(name: string, type: T, value: (row: Row) => BulkValue<T>, orElse?: RawBuilder<unknown>): BulkColumn<Row> {
  return { name, type, value: value as BulkColumn<Row>['value'], ...(orElse ? { orElse } : {}) };
}

function arrayOf(type: BulkColumnType, values: unknown[]): Array<string | number | boolean | null> {
  if (type === 'timestamptz') return values.map((v) => (v instanceof Date ? v.toISOString() : null));
  return values as Array<string | number | boolean | null>;
}

/**
 * `insert into <table> (<columns>) select … from unnest(<arrays>)`, plus
 * whatever `rest` adds (`on conflict …`, `returning …`). Rows are inserted in
 * the order given (identity ids increase along it).
 */
export function bulkInsert<Row, Result = unknown>(
  table: keyof Database & string,
  columns: Array<BulkColumn<Row>>,
  rows: readonly Row[],
  rest: RawBuilder<unknown> = sql``,
): RawBuilder<Result> {
  const names = sql.join(columns.map((c) => sql.id(c.name)));
  const arrays = sql.join(columns.map((c) => sql`${arrayOf(c.type, rows.map(c.value))}::${sql.raw(c.type)}[]`));
  const selected = sql.join(columns.map((c) => (c.orElse ? sql`coalesce(u.${sql.id(c.name)}, ${c.orElse})` : sql`u.${sql.id(c.name)}`)));
  return sql<Result>`insert into ${sql.table(snake(table))} (${names}) select ${selected} from unnest(${arrays}) with ordinality as u (${names}, bulk_row) order by u.bulk_row ${rest}`;
}

function snake(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
