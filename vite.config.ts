import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The renderer is built once and served by both the Electron app:// protocol and the Node host.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
  },
});
