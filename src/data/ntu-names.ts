// NTU sample names `SsssCcccPpppRrrrAaaa` and the fields they encode.

export interface NtuName {
  name: string;
  setup: number;
  camera: number;
  performer: number;
  replication: number;
  action: number;
  /** action − 1 */
  label: number;
}

const NAME_RE = /^S(\d{3})C(\d{3})P(\d{3})R(\d{3})A(\d{3})$/;

export function isNtuName(name: string): boolean {
  return NAME_RE.test(name);
}

/** Parses a 20-character sample name; returns undefined when it does not match the pattern. */
export function parseNtuName(name: string): NtuName | undefined {
  const m = NAME_RE.exec(name);
  if (!m) return undefined;
  const [setup, camera, performer, replication, action] = m.slice(1).map(Number);
  return { name, setup, camera, performer, replication, action, label: action - 1 };
}

export function formatNtuName(f: {
  setup: number;
  camera: number;
  performer: number;
  replication: number;
  action: number;
}): string {
  const p = (n: number) => String(n).padStart(3, '0');
  return `S${p(f.setup)}C${p(f.camera)}P${p(f.performer)}R${p(f.replication)}A${p(f.action)}`;
}

/** The action number the denoising logs compare with 50: the last two characters as an integer. */
export function logActionNumber(name: string): number {
  return Number.parseInt(name.slice(-2), 10);
}
