/**
 * Registers a test that relies on single-document atomicity. It holds on MongoDB, and on the FerretDB that
 * `npm run setup` builds: its write lock serialises updates across connections and processes (FERRETDB-NOTES.md).
 */
export const itWhereDocumentWritesAreAtomic = it;
