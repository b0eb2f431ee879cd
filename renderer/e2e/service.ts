import { spawn } from 'node:child_process';

/** A Node entry point of ours run as its own process, as a test's server (the app host, the central office). */
export interface Service {
  /** The first match of the ready pattern in what it printed. */
  ready: RegExpExecArray;
  /** Sends the signal and waits for the process to end (nothing if it already has). */
  kill(signal: NodeJS.Signals): Promise<void>;
}

/** Starts `node --import tsx <entry>` and waits until its output matches `ready`; fails with that output otherwise. */
export async function startService(entry: string, env: NodeJS.ProcessEnv, ready: RegExp, name: string): Promise<Service> {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const match = await new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start:\n${output}`)), 30_000);
    // Keeps reading after it is ready, so a chatty process never blocks on a full pipe.
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = ready.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code}:\n${output}`)));
  });
  return {
    ready: match,
    async kill(signal) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill(signal);
      await exited;
    },
  };
}
