import { statfs } from "node:fs/promises";
import { availableParallelism } from "node:os";

/** The `system_resources` block of the standard health format. */
export interface SystemResources {
  /** The process's CPU time since the previous reading, as a share of all cores (0-100). */
  cpu_usage_percent: number;
  /** Resident set size, in MiB. */
  memory_usage_mb: number;
  /** How full the file system holding the configured path is (0-100); 0 when it cannot be read. */
  disk_usage_percent: number;
}

/**
 * Reads the process's resources for `/health`. CPU is measured between two readings, so the first
 * reading covers the time since the sampler was made.
 * @internal
 */
export class SystemResourceSampler {
  #lastCpu = process.cpuUsage();
  #lastAt = process.hrtime.bigint();
  readonly #diskPath: string;

  constructor(diskPath: string) {
    this.#diskPath = diskPath;
  }

  async sample(): Promise<SystemResources> {
    const cpu = process.cpuUsage(this.#lastCpu);
    const at = process.hrtime.bigint();
    const wallMicros = Number(at - this.#lastAt) / 1000;
    this.#lastCpu = process.cpuUsage();
    this.#lastAt = at;
    const cpuPercent =
      wallMicros <= 0 ? 0 : ((cpu.user + cpu.system) / wallMicros / availableParallelism()) * 100;
    return {
      cpu_usage_percent: round(Math.min(100, cpuPercent)),
      memory_usage_mb: round(process.memoryUsage.rss() / (1024 * 1024)),
      disk_usage_percent: round(await this.#diskUsage()),
    };
  }

  async #diskUsage(): Promise<number> {
    try {
      const stats = await statfs(this.#diskPath);
      return stats.blocks === 0 ? 0 : ((stats.blocks - stats.bfree) / stats.blocks) * 100;
    } catch {
      // A missing path or a sandbox that refuses statfs must not break /health: report nothing.
      return 0;
    }
  }
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
