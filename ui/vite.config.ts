// Builds the single-page app into dist/ui, which the manager serves at / (src/platform/http/static-ui.ts).
// JSX goes through Vite's built-in esbuild transform (tsconfig "jsx": "react-jsx"): no plugin needed.
import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: here,
  base: '/',
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('../dist/ui', import.meta.url)),
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: true,
    target: 'es2022',
  },
});
