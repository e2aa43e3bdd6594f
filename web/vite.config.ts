/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import tailwindcss from '@tailwindcss/vite';

// The Go server (make run) listens on :8100; in development the browser sees one origin.
const api = 'http://127.0.0.1:8100';

export default defineConfig({
  plugins: [react(), tailwindcss()],
  server: {
    proxy: {
      '/api': api,
      '/health': api,
      '/ws': { target: api, ws: true },
    },
  },
  build: {
    // public/.gitkeep is copied back into dist, so the committed placeholder survives a build.
    emptyOutDir: true,
    chunkSizeWarningLimit: 400,
  },
  test: {
    environment: 'jsdom',
    globals: true,
    setupFiles: ['./src/test-setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
  },
});
