// Golden files: test/golden/<renderer>/<case>/input.json → out/<rendered path> + modes.json, or
// throws.txt (a bad input the renderer must refuse; the text must appear in the error message).
// ABRI_UPDATE_GOLDEN=1 rewrites out/, modes.json and throws.txt from the current renderers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RenderedFile } from '../../src/platform/render.js';

const root = fileURLToPath(new URL('../golden/', import.meta.url));
const update = process.env.ABRI_UPDATE_GOLDEN === '1';

function listFiles(dir: string, prefix = ''): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(path.join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]).sort();
}

/** Declares one test per case directory of the renderer. */
export function goldenTests(renderer: string, render: (input: never) => RenderedFile[]): void {
  const dir = path.join(root, renderer);
  const cases = readdirSync(dir).filter((c) => existsSync(path.join(dir, c, 'input.json'))).sort();
  assert.ok(cases.length > 0, `no golden cases in ${dir}`);
  for (const name of cases) {
    test(`${renderer} golden: ${name}`, () => {
      const caseDir = path.join(dir, name);
      const input = JSON.parse(readFileSync(path.join(caseDir, 'input.json'), 'utf8')) as never;
      const throwsFile = path.join(caseDir, 'throws.txt');
      if (existsSync(throwsFile)) {
        let message = '';
        assert.throws(() => render(input), (e: Error) => ((message = e.message), (e as { code?: string }).code === 'render.invalid'));
        if (update) writeFileSync(throwsFile, `${message}\n`);
        else assert.ok(message.includes(readFileSync(throwsFile, 'utf8').trim()), `error "${message}" should include throws.txt`);
        return;
      }
      const files = render(input);
      const outDir = path.join(caseDir, 'out');
      const modes = Object.fromEntries(files.map((f) => [f.path, `0${f.mode.toString(8)}`]));
      if (update) {
        rmSync(outDir, { recursive: true, force: true });
        for (const f of files) {
          mkdirSync(path.dirname(path.join(outDir, f.path)), { recursive: true });
          writeFileSync(path.join(outDir, f.path), f.content);
        }
        writeFileSync(path.join(caseDir, 'modes.json'), `${JSON.stringify(modes, null, 2)}\n`);
      }
      assert.deepEqual(files.map((f) => f.path).sort(), listFiles(outDir), 'rendered file list (ABRI_UPDATE_GOLDEN=1 to accept)');
      for (const f of files) assert.equal(f.content, readFileSync(path.join(outDir, f.path), 'utf8'), `${name}/out/${f.path}`);
      assert.deepEqual(modes, JSON.parse(readFileSync(path.join(caseDir, 'modes.json'), 'utf8')));
      assert.deepEqual(render(input), files, 'rendering twice gives the same files');
    });
  }
}
