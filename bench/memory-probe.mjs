// Preloaded into the worker process the memory bench spawns (`node --expose-gc --import
// bench/memory-probe.mjs bin/newswatch start ...`), so the bench can read the worker's live heap
// without any change to the service: on SIGUSR2 it collects garbage (when --expose-gc gave it
// gc()) and writes process.memoryUsage() and V8's heap statistics, as JSON, to the file named by
// NW_MEMORY_PROBE_FILE (through a rename, so the bench never reads half a file). Plain
// JavaScript: it loads before bin/newswatch registers tsx.
import { renameSync, writeFileSync } from 'node:fs';
import v8 from 'node:v8';

const file = process.env.NW_MEMORY_PROBE_FILE;
if (file) {
  process.on('SIGUSR2', () => {
    if (typeof globalThis.gc === 'function') globalThis.gc();
    const sample = { at: Date.now(), memory: process.memoryUsage(), heap: v8.getHeapStatistics() };
    writeFileSync(`${file}.tmp`, JSON.stringify(sample));
    renameSync(`${file}.tmp`, file);
  });
}
