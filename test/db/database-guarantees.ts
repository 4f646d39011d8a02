/**
 * Registers a test that relies on single-document atomicity. It holds on MongoDB, and on FerretDB because the
 * product's connection is serialised there (see server/platform/database/mongoose-connection.ts).
 */
export const itWhereDocumentWritesAreAtomic = it;
