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
    rollupOptions: {
      output: {
        // the libraries change less often than the app: their own chunks stay cached across releases
        manualChunks(id) {
          if (id.includes('/node_modules/react') || id.includes('/node_modules/scheduler/')) return 'react';
          if (id.includes('/node_modules/@tanstack/')) return 'tanstack';
          return undefined;
        },
      },
      onwarn(warning, warn) {
        // TanStack's modules start with "use client" (for React server components): meaningless in this
        // single-page app, and Rollup says so once per module
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE' && warning.message.includes('"use client"')) return;
        if (warning.code === 'SOURCEMAP_ERROR' && warning.loc?.line === 1 && warning.loc.column === 0) return;
        warn(warning);
      },
    },
  },
});
