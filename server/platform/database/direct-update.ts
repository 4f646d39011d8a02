import type { Model, Schema } from 'mongoose';
import type { Collection, Document, Filter, UpdateFilter } from 'mongodb';
import { noticeDirectUpdate } from '../../../models/write-notices';

/** What mongoose adds to an update before sending it, and so what a direct update adds itself. */
interface SchemaAdditions {
  createdAt: string | null;
  updatedAt: string | null;
  /** Set to 0 by an upsert's insert, as mongoose does. */
  versionKey: string | null;
  /** The paths with a default and each one's value now (a fresh array or object each time), for an upsert's insert. */
  defaults: { path: string; value(): unknown }[];
}

const additionsBySchema = new WeakMap<Schema, SchemaAdditions>();

function additionsOf(schema: Schema): SchemaAdditions {
  const known = additionsBySchema.get(schema);
  if (known) return known;
  // The names mongoose resolved from the `timestamps` option when the schema was built (null where one is off).
  const { $timestamps } = schema as { $timestamps?: { createdAt: string | null; updatedAt: string | null } };
  const defaults: SchemaAdditions['defaults'] = [];
  schema.eachPath((path, schemaType) => {
    // `getDefault` is what mongoose's own upsert calls; its typings leave it out.
    const type = schemaType as unknown as {
      defaultValue?: unknown;
      getDefault(scope: null, init: boolean): unknown;
    };
    if (path === '_id' || type.defaultValue === undefined) return;
    const { defaultValue } = type;
    // A string, number, boolean or null is the same value every time; arrays, objects and functions are made anew.
    const isConstant = defaultValue === null || !['object', 'function'].includes(typeof defaultValue);
    defaults.push({ path, value: isConstant ? () => defaultValue : () => type.getDefault(null, true) });
  });
  const additions: SchemaAdditions = {
    createdAt: $timestamps?.createdAt ?? null,
    updatedAt: $timestamps?.updatedAt ?? null,
    versionKey: (schema.get('versionKey') as string | false | undefined) || null,
    defaults,
  };
  additionsBySchema.set(schema, additions);
  return additions;
}

/** Whether the update or the filter's equalities already say something about `path` (itself, a parent or a child). */
function touches(keys: string[], path: string): boolean {
  return keys.some((key) => key === path || path.startsWith(`${key}.`) || key.startsWith(`${path}.`));
}

function equalityKeysOf(filter: Record<string, unknown>): string[] {
  return Object.keys(filter).filter((key) => {
    const condition = filter[key];
    const isOperator =
      condition !== null &&
      typeof condition === 'object' &&
      Object.keys(condition).some((conditionKey) => conditionKey.startsWith('$'));
    return !key.startsWith('$') && !isOperator;
  });
}

/**
 * `findOneAndUpdate` sent straight to the driver, for the live path's busiest writes (a person's message makes three):
 * mongoose's casting, hooks and option handling cost about 0.4 ms of CPU a call there, a fifth of what the app spent
 * on a message (BENCHMARKS.md, "2026-12-05"). What mongoose would add is added here: the schema's timestamps and, on
 * an upsert, its version key and the defaults of the paths neither the filter nor the update names; undefined values
 * and empty operators are left out, as mongoose leaves them out. Nothing is cast: the driver's types hold each value
 * to the record's own type (ObjectIds as ObjectIds, not strings), and no validator runs (mongoose runs none on
 * updates either). Readers that keep copies hear of the write as they would through the model.
 *
 * Answers the document after the update, and whether the upsert inserted it.
 */
export async function findOneAndUpdateDirect<T extends Document>(
  model: Model<T>,
  filter: Filter<T>,
  update: UpdateFilter<T>,
  { upsert = false }: { upsert?: boolean } = {},
): Promise<{ value: T | null; inserted: boolean }> {
  const { createdAt, updatedAt, versionKey, defaults } = additionsOf(model.schema);
  const now = new Date();
  const $set: Record<string, unknown> = { ...(update.$set as Record<string, unknown> | undefined) };
  const $setOnInsert: Record<string, unknown> = {
    ...(update.$setOnInsert as Record<string, unknown> | undefined),
  };
  if (updatedAt) $set[updatedAt] = now;
  // The update's operators, `$set` and `$setOnInsert` as completed here (what is added below is in them too).
  const operators = Object.entries({ ...update, $set, $setOnInsert });
  if (upsert) {
    if (createdAt) $setOnInsert[createdAt] = now;
    if (versionKey) $setOnInsert[versionKey] = 0;
    const said = [
      ...equalityKeysOf(filter as Record<string, unknown>),
      ...operators.flatMap(([operator, fields]) =>
        operator.startsWith('$') && fields
          ? Object.entries(fields as object).flatMap(([path, value]) => (value === undefined ? [] : [path]))
          : [],
      ),
    ];
    for (const { path, value } of defaults) {
      if (touches(said, path)) continue;
      const initial = value();
      if (initial !== undefined) $setOnInsert[path] = initial;
    }
  }
  // An operator left empty (a `$max` with nothing to move) is dropped, as mongoose drops it.
  const complete = Object.fromEntries(
    operators.filter(([, fields]) => fields && Object.keys(fields as object).length > 0),
  ) as UpdateFilter<T>;
  const collection = model.collection as unknown as Collection<T>;
  const result = await collection.findOneAndUpdate(filter, complete, {
    upsert,
    returnDocument: 'after',
    includeResultMetadata: true,
    ignoreUndefined: true,
  });
  noticeDirectUpdate(collection.collectionName);
  return {
    value: result.value as T | null,
    inserted: upsert && result.lastErrorObject?.updatedExisting !== true,
  };
}
