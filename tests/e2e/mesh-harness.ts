/**
 * Test harness for the mesh views: a Vite dev server over the repository that serves
 * `/__mesh?el=mesh-graph&snapshot=observe&...` as a bare page holding one view with the given
 * data-* props (theme=dark sets Starlight's data-theme). No sandbox server answers /api/health here,
 * so the views run on their fixture snapshots; tests can route /api/* to fake a live server.
 */
import { createServer, type ViteDevServer } from 'vite';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MODULES: Record<string, string> = {
  'mesh-graph': '/components/client/mesh-graph-element.ts',
  'kiali-metrics': '/components/client/kiali-metrics-element.ts',
  'kiali-traces': '/components/client/kiali-traces-element.ts',
  'kiali-list': '/components/client/kiali-list-element.ts',
};

function page(q: URLSearchParams): string {
  const el = q.get('el') ?? 'mesh-graph';
  const theme = q.get('theme') ?? 'light';
  const attrs = [...q.entries()].filter(([k]) => !['el', 'theme', 'width'].includes(k))
    .map(([k, v]) => ` data-${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}="${v.replace(/"/g, '&quot;')}"`).join('');
  const bg = theme === 'dark' ? '#17181c' : '#ffffff';
  return `<!doctype html><html data-theme="${theme}"><head><meta charset="utf-8"><title>mesh harness</title>
<script type="module">import '/components/client/mesh-views.css'; import '${MODULES[el] ?? MODULES['mesh-graph']}';</script></head>
<body style="margin:0;padding:12px;background:${bg};max-width:${q.get('width') ?? '1280'}px"><${el}${attrs}></${el}></body></html>`;
}

export async function startHarness(): Promise<{ url: string; close: () => Promise<void> }> {
  const server: ViteDevServer = await createServer({
    root: ROOT, configFile: false, logLevel: 'error', clearScreen: false,
    server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false, watch: null },
    optimizeDeps: { include: ['cytoscape', 'cytoscape-dagre', 'uplot'] },
    plugins: [{
      name: 'mesh-harness',
      configureServer(s) {
        s.middlewares.use(async (req, res, next) => {
          const u = new URL(req.url ?? '/', 'http://x');
          if (u.pathname !== '/__mesh') return next();
          const html = await s.transformIndexHtml(u.pathname + u.search, page(u.searchParams));
          res.setHeader('content-type', 'text/html');
          res.end(html);
        });
      },
    }],
  });
  await server.listen();
  const addr = server.httpServer!.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return { url: `http://127.0.0.1:${port}`, close: () => server.close() };
}
