import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const MODULE = fileURLToPath(new URL('./stdout-lines.ts', import.meta.url));

/** Runs `body` in a Node process of its own with `write` = stdoutLines(); resolves with its stdout, chunk by chunk as it arrived. */
function run(body: string): Promise<{ chunks: { text: string }[]; code: number | null }> {
  const script = `import { stdoutLines } from ${JSON.stringify(MODULE)};\nconst write = stdoutLines();\n${body}`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const chunks: { text: string }[] = [];
  child.stdout.on('data', (data: Buffer) => chunks.push({ text: data.toString() }));
  return new Promise((resolve) => child.on('close', (code) => resolve({ chunks, code })));
}

const lines = (chunks: { text: string }[]) =>
  chunks
    .map((c) => c.text)
    .join('')
    .split('\n')
    .filter(Boolean);

describe('stdoutLines', () => {
  it('Should write the lines of one burst together, in order, while the process keeps running', async () => {
    const { chunks, code } = await run(`
      for (let i = 0; i < 100; i++) write('line ' + i);
      setTimeout(() => { write('later'); setTimeout(() => {}, 300); }, 200);
    `);
    expect(code).toBe(0);
    expect(lines(chunks)).toEqual([...Array.from({ length: 100 }, (_, i) => `line ${i}`), 'later']);
    expect(chunks[0]?.text.split('\n').filter(Boolean), 'the burst in one write').toHaveLength(100);
  });

  it('Should write what is left when the process exits, whether it ends or calls process.exit', async () => {
    const ended = await run(`write('a'); write('b');`);
    expect(lines(ended.chunks)).toEqual(['a', 'b']);
    const exited = await run(`write('c'); process.exit(3);`);
    expect(exited.code).toBe(3);
    expect(lines(exited.chunks)).toEqual(['c']);
  });
});
