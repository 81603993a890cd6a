import { describe, expect, it } from 'vitest';
import { pathHtml, relPath, runFolder, textWithPaths } from './paths.js';

const RUN = 'test_tipc/output/M/lite_train_lite_infer';
const step = (log: string) => ({ log }) as never;

describe('runFolder', () => {
  it('is the folder of the results log', () => {
    expect(runFolder({ resultsLog: `./${RUN}/results_python.log`, steps: [] })).toBe(RUN);
  });

  it('without a results log, the folder every step log shares', () => {
    expect(runFolder({ steps: [step(`./${RUN}/a.log`), step(`${RUN}/sub/b.log`)] })).toBe(RUN);
    expect(runFolder({ steps: [step('a.log'), step(`${RUN}/b.log`)] })).toBe('');
    expect(runFolder({ steps: [] })).toBe('');
  });
});

describe('relPath / pathHtml', () => {
  it('shows a path inside the run folder relative to it, the full path in the tooltip', () => {
    expect(relPath(`./${RUN}/unit/inference.onnx`, RUN)).toBe('unit/inference.onnx');
    expect(relPath(`./${RUN}`, RUN)).toBe('./');
    expect(pathHtml(`./${RUN}/unit/inference.onnx`, RUN)).toBe(
      `<code class="path" title="./${RUN}/unit/inference.onnx">unit/inference.onnx</code>`,
    );
  });

  it('leaves a path outside the run folder (or with no run folder) as it is', () => {
    expect(relPath('other/x.onnx', RUN)).toBe('other/x.onnx');
    expect(relPath(`${RUN}-2/x.onnx`, RUN)).toBe(`${RUN}-2/x.onnx`);
    expect(relPath(`./${RUN}/x`, '')).toBe(`./${RUN}/x`);
    expect(pathHtml('a<b', RUN)).toBe('<code class="path">a&lt;b</code>');
  });
});

describe('textWithPaths', () => {
  it('shortens every run-folder path in free text and escapes the rest', () => {
    const html = textWithPaths(
      `top-1 of ./${RUN}/u/inference.onnx: 0.9 ≥ 0.8 & ${RUN}/u/x.pdparams (eval); dir ./${RUN}`,
      RUN,
    );
    expect(html).toBe(
      `top-1 of <code class="path" title="./${RUN}/u/inference.onnx">u/inference.onnx</code>: 0.9 ≥ 0.8 &amp; ` +
        `<code class="path" title="${RUN}/u/x.pdparams">u/x.pdparams</code> (eval); dir ` +
        `<code class="path" title="./${RUN}">./</code>`,
    );
  });

  it('does not touch a longer path that merely contains the run folder', () => {
    expect(textWithPaths(`/abs/${RUN}/x and ${RUN}_eval.log`, RUN)).toBe(`/abs/${RUN}/x and ${RUN}_eval.log`);
  });
});
