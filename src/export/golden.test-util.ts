// Shared paths and loaders of the golden cases (test helper; defined beside the model tests).
export {
  FIXTURES,
  GOLDEN,
  SHARED,
  goldenCase,
  goldenCaseJson,
  goldenCaseNames,
  goldenCaseTree,
  maxAbsDiff,
  type GoldenCaseJson,
} from '../model/golden-cases.test-util.js';
