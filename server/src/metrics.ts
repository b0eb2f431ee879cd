/**
 * Counters of this instance, exposed at /metrics in the Prometheus text format. Each instance behind the load
 * balancer counts its own; the scraper sums them.
 */
const LATENCY_BUCKETS_MS = [5, 10, 25, 50, 100, 250, 500, 1000, 2500] as const;

export class Metrics {
  opsApplied = 0;
  opsRefused = 0;
  opsConflicted = 0;
  opsSkipped = 0;
  readonly batchesRefused = new Map<string, number>();
  batchesAccepted = 0;
  /**
   * File sync: bytes of the chunks taken, chunks refused by error code, files stored whole and verified, uploads
   * purged as abandoned.
   */
  fileBytesReceived = 0;
  readonly chunksRefused = new Map<string, number>();
  filesStored = 0;
  uploadsPurged = 0;
  private readonly latency = LATENCY_BUCKETS_MS.map(() => 0);
  private latencyCount = 0;
  private latencySumMs = 0;

  countOutcomes(outcomes: Iterable<string>): void {
    for (const o of outcomes) {
      if (o === 'applied') this.opsApplied += 1;
      else if (o === 'refused') this.opsRefused += 1;
      else this.opsConflicted += 1;
    }
  }

  batchRefused(code: string): void {
    this.batchesRefused.set(code, (this.batchesRefused.get(code) ?? 0) + 1);
  }

  chunkRefused(code: string): void {
    this.chunksRefused.set(code, (this.chunksRefused.get(code) ?? 0) + 1);
  }

  observePush(ms: number): void {
    this.latencyCount += 1;
    this.latencySumMs += ms;
    LATENCY_BUCKETS_MS.forEach((le, i) => {
      if (ms <= le) this.latency[i]! += 1;
    });
  }

  render(): string {
    const lines = [
      '# HELP yc_ops_total Operations taken from devices, by outcome.',
      '# TYPE yc_ops_total counter',
      `yc_ops_total{outcome="applied"} ${this.opsApplied}`,
      `yc_ops_total{outcome="refused"} ${this.opsRefused}`,
      `yc_ops_total{outcome="conflicted"} ${this.opsConflicted}`,
      `yc_ops_total{outcome="skipped"} ${this.opsSkipped}`,
      '# HELP yc_push_batches_total Push requests by result.',
      '# TYPE yc_push_batches_total counter',
      `yc_push_batches_total{result="accepted"} ${this.batchesAccepted}`,
      ...[...this.batchesRefused].map(([code, n]) => `yc_push_batches_total{result="${code}"} ${n}`),
      '# HELP yc_push_duration_ms Time to apply an accepted push batch.',
      '# TYPE yc_push_duration_ms histogram',
      ...LATENCY_BUCKETS_MS.map((le, i) => `yc_push_duration_ms_bucket{le="${le}"} ${this.latency[i]}`),
      `yc_push_duration_ms_bucket{le="+Inf"} ${this.latencyCount}`,
      `yc_push_duration_ms_sum ${this.latencySumMs.toFixed(3)}`,
      `yc_push_duration_ms_count ${this.latencyCount}`,
      '# HELP yc_file_bytes_received_total Bytes of file chunks taken from devices (duplicates included).',
      '# TYPE yc_file_bytes_received_total counter',
      `yc_file_bytes_received_total ${this.fileBytesReceived}`,
      '# HELP yc_file_chunks_refused_total File chunks refused, by error code.',
      '# TYPE yc_file_chunks_refused_total counter',
      ...[...this.chunksRefused].map(([code, n]) => `yc_file_chunks_refused_total{code="${code}"} ${n}`),
      '# HELP yc_files_stored_total Files received whole and verified.',
      '# TYPE yc_files_stored_total counter',
      `yc_files_stored_total ${this.filesStored}`,
      '# HELP yc_file_uploads_purged_total Unfinished file uploads removed after no progress for ABANDONED_UPLOAD_DAYS.',
      '# TYPE yc_file_uploads_purged_total counter',
      `yc_file_uploads_purged_total ${this.uploadsPurged}`,
    ];
    return `${lines.join('\n')}\n`;
  }
}
