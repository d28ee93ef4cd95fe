/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The console is served by `ec2m serve` from web/dist: index.html at / and the bundle under
// /assets/. Routes live in the hash (#/instances), so the server needs no SPA fallback.
// `npm run dev` proxies the API to a local `ec2m serve` (EC2M_API overrides the address).
const api = process.env.EC2M_API ?? 'http://127.0.0.1:8080';

export default defineConfig({
  base: '/',
  plugins: [react()],
  server: {
    proxy: {
      '/api': { target: api, changeOrigin: false },
      '/health': { target: api, changeOrigin: false },
    },
  },
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    emptyOutDir: true,
    sourcemap: false,
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
    restoreMocks: true,
    // The machines are 2 shared cores: a jsdom test that takes 1 s alone can take 8 under load.
    testTimeout: 30_000,
    setupFiles: ['src/test/setup.ts'],
  },
});
