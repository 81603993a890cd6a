// The machine a report was measured on (report.json `environment`); its own module so that the
// regression check (which compares machines) and the report (which writes it) do not import each other.
export interface Environment {
  node: string;
  platform: string;
  backends: string[];
  cpu: string;
  cpus: number;
  threads: number;
  gpu: { available: boolean; reason: string };
  hostname?: string;
}
