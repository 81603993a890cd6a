// Figures published for a model (spec inference.md §7–8): what `tipc compare --published` shows
// beside the measured ones, never mixed with them. The model registry states them per backbone;
// the driver receives them from its command layer.
export interface Published {
  /** Top-1 %, X-sub joint. */
  top1: number;
  /** Paddle inference model, MiB as published ("MB"). */
  sizeMiB: number | null;
  cpuMs: number;
  gpuMs: number;
  source: string;
}
