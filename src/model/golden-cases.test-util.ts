// The golden cases of ../shared/golden and the tree each one is for (test helper).
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config/recipe.js';
import { readNpyFloat32 } from '../data/npy.js';
import type { BackboneName, ModelTree } from './block-tree.js';
import { readSafetensors } from './safetensors.js';
import { PACKAGE_ROOT, treeFromModelSection } from './variants.js';
import { SHARED_ROOT, sharedPath } from '../util/shared-data.test-util.js';

export const SHARED = SHARED_ROOT;
export const GOLDEN = sharedPath('golden');
export const FIXTURES = sharedPath('fixtures/paddlevideo');

/** The golden case folders (those with a case.json); throws when ../shared/golden is missing. */
export function goldenCaseNames(): string[] {
  return fs
    .readdirSync(GOLDEN)
    .filter((d) => fs.existsSync(path.join(GOLDEN, d, 'case.json')))
    .sort();
}

export interface GoldenCaseJson {
  mode: string;
  model: { backbone: BackboneName; base_channel: number; num_classes: number; blocks?: string[] };
  params?: { trainable: number; persistable_total: number; tensors: number };
  product?: { model: string; recipe: string };
  tolerances: { logits: { atol: number }; probs_top1: { score_atol: number } };
}

export function goldenCaseJson(name: string): GoldenCaseJson {
  return JSON.parse(fs.readFileSync(path.join(GOLDEN, name, 'case.json'), 'utf8')) as GoldenCaseJson;
}

/** The tree a case is for: built from the product recipe it names, else from its backbone and base. */
export function goldenCaseTree(cj: GoldenCaseJson): ModelTree {
  if (cj.product) {
    const file = path.join(PACKAGE_ROOT, cj.product.recipe);
    if (!fs.existsSync(file)) throw new Error(`golden case names recipe ${cj.product.recipe}, which is missing`);
    return treeFromModelSection(loadConfig(file).cfg.MODEL, file);
  }
  return treeFromModelSection({
    backbone: { name: cj.model.backbone, base_channel: cj.model.base_channel },
    head: { name: 'CTRGCNHead', num_classes: cj.model.num_classes },
  });
}

export function goldenCase(name: string) {
  const dir = path.join(GOLDEN, name);
  const input = readNpyFloat32(path.join(dir, 'input.npy'));
  const logits = readNpyFloat32(path.join(dir, 'logits.npy'));
  return {
    dir,
    weightsFile: path.join(dir, 'weights.safetensors'),
    weights: readSafetensors(path.join(dir, 'weights.safetensors')),
    input,
    logits,
  };
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
