// Astro + Starlight + MDX. The site lives in site/ (srcDir); the sandbox server serves the built dist/.
import { defineConfig } from 'astro/config';
import starlight from '@astrojs/starlight';
import mdx from '@astrojs/mdx';
import { fileURLToPath } from 'node:url';

// monaco-yaml's worker manager imports a deep path that Monaco 0.57's "exports" map no longer exposes
// (toolchain recipe R4).
const MONACO_WORKER_ALIAS = {
  find: /^monaco-editor\/esm\/vs\/editor\/editor\.worker(\.js)?$/,
  replacement: fileURLToPath(new URL('./node_modules/monaco-editor/esm/vs/editor/editor.worker.js', import.meta.url)),
};

// `npm run dev`: the site is served by Vite, the API and WebSocket by the sandbox server.
const SERVER = process.env.TRAVELS_DEV_SERVER ?? 'http://127.0.0.1:4322';

export default defineConfig({
  srcDir: './site',
  publicDir: './public',
  outDir: './dist',
  integrations: [
    starlight({
      title: 'Travels Labs',
      description: 'Learn Istio and Kiali hands-on with the Travels demo, in your browser.',
      sidebar: [
        {
          label: 'Tutorial',
          items: [
            'tutorial/prerequisites',
            'tutorial/install',
            'tutorial/first-steps',
            'tutorial/observe',
            { label: 'Connect', items: [{ autogenerate: { directory: 'tutorial/connect' } }] },
            'tutorial/secure',
            'tutorial/uninstall',
          ],
        },
      ],
    }),
    mdx(),
  ],
  vite: {
    server: { proxy: { '/api': { target: SERVER, ws: true } } },
    resolve: { alias: [MONACO_WORKER_ALIAS] },
    worker: { format: 'es' },
    // Lazy modules' bare imports, pre-bundled so the first scroll to an editor does not reload the dev page.
    optimizeDeps: { include: ['monaco-yaml', 'monaco-editor/editor'] },
  },
});
