import { statfsSync } from "node:fs";
import { availableParallelism } from "node:os";

export interface SystemResources {
  readonly cpuUsagePercent: number;
  readonly memoryUsageMb: number;
  readonly diskUsagePercent: number;
}

/**
 * The hub process's CPU (since the previous reading, across all cores), resident memory and the
 * fill level of the disk holding its data directory.
 */
export class SystemResourceSampler {
  private lastCpu = process.cpuUsage();
  private lastAt = process.hrtime.bigint();

  constructor(private readonly dataDir: string | undefined) {}

  sample(): SystemResources {
    const cpu = process.cpuUsage(this.lastCpu);
    const at = process.hrtime.bigint();
    const wallMicros = Number(at - this.lastAt) / 1000;
    this.lastCpu = process.cpuUsage();
    this.lastAt = at;
    const cpuPercent =
      wallMicros <= 0 ? 0 : ((cpu.user + cpu.system) / wallMicros / availableParallelism()) * 100;
    return {
      cpuUsagePercent: round(Math.min(100, cpuPercent)),
      memoryUsageMb: round(process.memoryUsage.rss() / (1024 * 1024)),
      diskUsagePercent: round(this.diskUsage()),
    };
  }

  private diskUsage(): number {
    if (!this.dataDir) return 0;
    try {
      const stats = statfsSync(this.dataDir);
      return stats.blocks === 0 ? 0 : ((stats.blocks - stats.bfree) / stats.blocks) * 100;
    } catch {
      return 0; // the directory may not exist yet (memory storage): nothing to report
    }
  }
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
