import { testDatabaseKind } from '../support/database';

/**
 * Whether a single-document write (findOneAndUpdate, updateOne, $inc) is atomic against concurrent writers to the
 * same document. MongoDB guarantees it; FerretDB v1 on SQLite reads, modifies and writes back outside one
 * transaction (FerretDB/FerretDB#3040), so concurrent writers lose updates. See FERRETDB-NOTES.md.
 */
export const documentWritesAreAtomic = testDatabaseKind() !== 'ferretdb';

/** Registers a test that relies on document-level atomicity; where the database lacks it, jest lists it as skipped. */
export const itWhereDocumentWritesAreAtomic = documentWritesAreAtomic ? it : it.skip;
