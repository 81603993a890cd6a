// Structural check of an exported graph, independent of onnxruntime: opset declared, every node
// input defined before use, initializer payloads consistent with their dims, the declared input
// and output shapes.
import { decodeModel, DType, OPSET } from './onnx-builder.js';

export interface CheckExpectations {
  inputShape: Array<number | string>;
  outputShape: Array<number | string>;
}

const ELEMENT_BYTES: Record<number, number> = {
  [DType.FLOAT]: 4,
  [DType.FLOAT16]: 2,
  [DType.INT8]: 1,
  [DType.INT64]: 8,
};

/** Returns the list of problems (empty = the graph is well-formed). */
export function checkOnnxStructure(bytes: Uint8Array, expect?: CheckExpectations): string[] {
  const problems: string[] = [];
  let model;
  try {
    model = decodeModel(bytes);
  } catch (e) {
    return [`not an ONNX ModelProto: ${(e as Error).message}`];
  }
  const opset = model.opsetImport.find((o) => !o.domain);
  if (!opset) problems.push('no default-domain opset declared');
  else if (Number(opset.version) < OPSET) problems.push(`opset ${Number(opset.version)} < ${OPSET}`);
  const graph = model.graph;
  if (!graph) return [...problems, 'model has no graph'];

  const inits = graph.initializer ?? [];
  const inputs = graph.input ?? [];
  const outputs = graph.output ?? [];
  const defined = new Set<string>();
  for (const t of inits) {
    const name = t.name ?? '';
    const dims = (t.dims ?? []).map(Number);
    const count = dims.reduce((a, b) => a * b, 1);
    const eb = ELEMENT_BYTES[t.dataType ?? -1];
    const raw = t.rawData?.length ?? 0;
    if (!eb) problems.push(`initializer ${name}: unexpected data type ${t.dataType}`);
    else if (raw !== count * eb)
      problems.push(`initializer ${name}: ${raw} bytes for dims [${dims}] (expected ${count * eb})`);
    if (defined.has(name)) problems.push(`initializer ${name} defined twice`);
    defined.add(name);
  }
  for (const i of inputs) defined.add(i.name ?? '');
  for (const n of graph.node ?? []) {
    for (const i of n.input ?? [])
      if (i !== '' && !defined.has(i)) problems.push(`node ${n.name} (${n.opType}) reads "${i}" before it is produced`);
    for (const o of n.output ?? []) {
      if (defined.has(o)) problems.push(`node ${n.name} redefines "${o}"`);
      defined.add(o);
    }
  }
  for (const o of outputs) if (!defined.has(o.name ?? '')) problems.push(`graph output ${o.name} is never produced`);

  const shapeOf = (vi: (typeof inputs)[number]) =>
    (vi.type?.tensorType?.shape?.dim ?? []).map((d) => (d.dimParam ? d.dimParam : Number(d.dimValue)));
  if (expect) {
    const initNames = new Set(inits.map((t) => t.name));
    const real = inputs.filter((i) => !initNames.has(i.name));
    if (real.length !== 1) problems.push(`expected exactly one graph input, found ${real.length}`);
    else if (JSON.stringify(shapeOf(real[0])) !== JSON.stringify(expect.inputShape))
      problems.push(`input shape ${JSON.stringify(shapeOf(real[0]))} ≠ ${JSON.stringify(expect.inputShape)}`);
    if (outputs.length !== 1) problems.push(`expected exactly one graph output, found ${outputs.length}`);
    else if (JSON.stringify(shapeOf(outputs[0])) !== JSON.stringify(expect.outputShape))
      problems.push(`output shape ${JSON.stringify(shapeOf(outputs[0]))} ≠ ${JSON.stringify(expect.outputShape)}`);
  }
  return problems;
}
