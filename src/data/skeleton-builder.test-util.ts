// Hand-built `.skeleton` snippets for tests.
export type Joints = [number, number, number][];

export interface TestBody {
  id: string;
  joints: Joints;
}

/** A narrow standing body centred at (cx, cy, z): x-extent 0.4, y-extent 1.6 (valid by spread). */
export function standing(cx = 0, cy = 0, z = 3, dx = 0): Joints {
  return Array.from(
    { length: 25 },
    (_, j) =>
      [cx + dx + (j % 5) * 0.1 - 0.2, cy + (Math.floor(j / 5) * 0.4 - 0.8), z + j * 0.001] as [number, number, number],
  );
}

/** A body whose x-extent is `ratio` × its y-extent. */
export function spreadBody(ratio: number, cx = 0, z = 3): Joints {
  return Array.from({ length: 25 }, (_, j) => {
    const u = (j % 5) / 4; // 0..1
    const v = Math.floor(j / 5) / 4;
    return [cx + u * ratio, v, z] as [number, number, number];
  });
}

/** `.skeleton` text for frames of bodies (an empty frame writes B = 0). */
export function skeletonText(frames: TestBody[][], eol = '\n'): string {
  const out = [String(frames.length)];
  for (const bodies of frames) {
    out.push(String(bodies.length));
    for (const b of bodies) {
      out.push(`${b.id} 0 1 1 1 1 0 0.1 -0.2 2`);
      out.push('25');
      b.joints.forEach(([x, y, z], j) =>
        out.push(`${x} ${y} ${z} ${200 + j} ${100 + j} ${900 + j} ${500 + j} 0.5 0.1 0.2 0.3 2`),
      );
    }
  }
  return out.join(eol) + eol;
}
