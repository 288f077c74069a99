import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The UI is served by `aop serve` from web/dist (same origin as /api).
// In `npm run dev`, /api is proxied to AOP_DEV_API (default http://127.0.0.1:8080).
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    sourcemap: false,
    chunkSizeWarningLimit: 800,
  },
  server: {
    proxy: { '/api': process.env.AOP_DEV_API ?? 'http://127.0.0.1:8080' },
  },
});
