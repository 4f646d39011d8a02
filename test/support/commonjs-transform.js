/**
 * jest runs CommonJS: swc turns the ES modules of agenda, its backend and agendash into it. An ES module that
 * computes `__dirname` from `import.meta.url` (agendash's middlewares) would declare it a second time in CommonJS,
 * a SyntaxError, so that line goes: CommonJS's own `__dirname` is the same directory.
 */
const { createTransformer } = require('@swc/jest');

const swc = createTransformer({ jsc: { target: 'es2022' }, module: { type: 'commonjs' } });
const withoutDirnameOfUrl = (source) =>
  source.replace(/^const __dirname = dirname\(fileURLToPath\(import\.meta\.url\)\);$/mu, '');

module.exports = {
  process: (source, path, options) => swc.process(withoutDirnameOfUrl(source), path, options),
  getCacheKey: (source, path, options) => swc.getCacheKey(withoutDirnameOfUrl(source), path, options),
};
