import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** What `npm run dev` forwards to the Pagewire server (PAGEWIRE_URL, default the `npm start` address). */
const server = process.env.PAGEWIRE_URL ?? 'http://localhost:3000';
const forwarded = ['/api', '/auth', '/r', '/healthz', '/readyz'];

export default defineConfig({
  plugins: [react(), tailwindcss()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // One chunk per route (React.lazy in src/app.tsx); the report lists each chunk's gzipped size.
    reportCompressedSize: true,
  },
  server: {
    port: 5173,
    proxy: {
      ...Object.fromEntries(forwarded.map((path) => [path, { target: server, changeOrigin: false }])),
      '/socket.io': { target: server, ws: true },
    },
  },
});
