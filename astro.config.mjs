// Astro + Starlight + MDX. The site lives in site/ (srcDir); the sandbox server serves the built dist/.
import { defineConfig } from 'astro/config';
import starlight from '@astrojs/starlight';
import mdx from '@astrojs/mdx';
import { fileURLToPath } from 'node:url';
import { readFile } from 'node:fs/promises';
import { dirname, resolve as resolvePath } from 'node:path';

// monaco-yaml's worker manager imports a deep path that Monaco 0.57's "exports" map no longer exposes
// (toolchain recipe R4).
const MONACO_WORKER_ALIAS = {
  find: /^monaco-editor\/esm\/vs\/editor\/editor\.worker(\.js)?$/,
  replacement: fileURLToPath(new URL('./node_modules/monaco-editor/esm/vs/editor/editor.worker.js', import.meta.url)),
};

// `npm run dev`: the site is served by Vite, the API and WebSocket by the sandbox server.
const SERVER = process.env.TRAVELS_DEV_SERVER ?? 'http://127.0.0.1:4322';

// Monaco's CSS arrives through the lazily imported editor chunk, yet Astro links a lazy chunk's CSS on every
// page (toolchain pitfall 6: 139 KB render-blocking on pages without an editor). This plugin turns each of
// Monaco's CSS imports into a module that adds a <style> when the editor actually loads; url(./x) assets
// become imported asset URLs so fonts still resolve.
const MONACO_CSS = '\0travels-monaco-css:';
const monacoCssAtRuntime = {
  name: 'travels:monaco-css-at-runtime',
  enforce: 'pre',
  async resolveId(source, importer) {
    if (!importer || !source.endsWith('.css') || !importer.includes('/node_modules/monaco-editor/')) return null;
    return MONACO_CSS + resolvePath(dirname(importer.split('?')[0]), source) + '.js';
  },
  async load(id) {
    if (!id.startsWith(MONACO_CSS)) return null;
    const file = id.slice(MONACO_CSS.length, -3);
    const imports = [];
    const css = (await readFile(file, 'utf8')).replace(/url\((['"]?)(\.{1,2}\/[^'")]+)\1\)/g, (_m, _q, rel) => {
      imports.push(`import a${imports.length} from ${JSON.stringify(resolvePath(dirname(file), rel) + '?url')};`);
      return `url(__TRAVELS_ASSET_${imports.length - 1}__)`;
    });
    const text = JSON.stringify(css).replace(/__TRAVELS_ASSET_(\d+)__/g, '" + a$1 + "');
    return `${imports.join('\n')}\nconst s = document.createElement('style');\ns.dataset.monaco = '';\ns.textContent = ${text};\ndocument.head.append(s);\n`;
  },
};

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
        // A free terminal on the learner's cluster, outside any chapter.
        { label: 'Sandbox', link: '/sandbox/' },
      ],
    }),
    mdx(),
  ],
  vite: {
    server: { proxy: { '/api': { target: SERVER, ws: true } } },
    plugins: [monacoCssAtRuntime],
    resolve: { alias: [MONACO_WORKER_ALIAS] },
    worker: { format: 'es' },
    // Lazy modules' bare imports, pre-bundled so the first scroll to an editor does not reload the dev page.
    optimizeDeps: { include: ['monaco-yaml', 'monaco-editor/editor'] },
  },
});
