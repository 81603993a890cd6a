// One place that builds the JSON-Schema validator (draft 2020-12 + formats) under NodeNext.
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

type FormatsFn = (ajv: Ajv2020) => unknown;

export function makeAjv(): Ajv2020 {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  // ajv-formats is CommonJS: under NodeNext its function arrives as `.default` of the import.
  const mod = addFormats as unknown as FormatsFn & { default?: FormatsFn };
  (mod.default ?? mod)(ajv);
  return ajv;
}
