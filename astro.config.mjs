// Astro + Starlight + MDX. The site lives in site/ (srcDir); the sandbox server serves the built dist/.
import { defineConfig } from 'astro/config';
import starlight from '@astrojs/starlight';
import mdx from '@astrojs/mdx';

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
  },
});
