// Re-checks a web node spec before rendering (defence in depth: the API validated it already).
// Anything that could break out of a config file (newline, quote, `..`, odd names) throws.
import { normaliseDocumentRoot, normaliseDomain } from '../platform/names.js';
import { AppError } from '../platform/errors.js';
import { renderError, safeInt, safeLine, safePath, safeToken, safeUserName } from '../platform/render.js';
import type { ObjectParams, ObjectProblem } from '../node/protocol.js';
import type { PhpRuntimeSpec, SitePhpSpec, WebHostingSpec, WebNodeSpec, WebSiteSpec } from './spec.js';

export const phpVersionName = (what: string, v: unknown) => safeToken(what, v, /^[0-9A-Za-z][0-9A-Za-z._-]{0,31}$/);

export function checkDomain(what: string, value: unknown): string {
  if (typeof value !== 'string') throw renderError(what, value, 'must be a string');
  const r = normaliseDomain(value);
  if (!r.ok) throw renderError(what, value, r.reason);
  if (r.value !== value) throw renderError(what, value, `must already be normalised (${r.value})`);
  return r.value;
}

export function checkDocumentRoot(what: string, value: unknown): string {
  if (typeof value !== 'string') throw renderError(what, value, 'must be a string');
  const r = normaliseDocumentRoot(value);
  if (!r.ok) throw renderError(what, value, r.reason);
  if (r.value !== value) throw renderError(what, value, `must already be normalised (${r.value})`);
  return r.value;
}

export function checkPhpRuntime(version: string, rt: PhpRuntimeSpec): PhpRuntimeSpec {
  phpVersionName('PHP version', version);
  return {
    fpmBinary: safePath(`PHP ${version} fpmBinary`, rt.fpmBinary),
    configDir: safePath(`PHP ${version} configDir`, rt.configDir),
    socketDir: safePath(`PHP ${version} socketDir`, rt.socketDir),
    pidFile: safePath(`PHP ${version} pidFile`, rt.pidFile),
    errorLog: safePath(`PHP ${version} errorLog`, rt.errorLog),
  };
}

function checkSite(h: string, s: WebSiteSpec, php: Record<string, PhpRuntimeSpec>): WebSiteSpec {
  const domain = checkDomain(`site domain of ${h}`, s.domain);
  if (!Array.isArray(s.aliases)) throw renderError(`aliases of ${domain}`, s.aliases, 'must be a list');
  const aliases = s.aliases.map((a) => checkDomain(`alias of ${domain}`, a));
  const phpVersion = phpVersionName(`PHP version of ${domain}`, s.phpVersion);
  if (!Object.hasOwn(php, phpVersion)) throw renderError(`PHP version of ${domain}`, phpVersion, 'is not configured on this node');
  if (s.status !== 'active' && s.status !== 'disabled') throw renderError(`status of ${domain}`, s.status, 'must be active or disabled');
  return {
    id: safeToken(`site id of ${domain}`, s.id), domain, aliases, documentRoot: checkDocumentRoot(`document root of ${domain}`, s.documentRoot), phpVersion, status: s.status,
    php: checkSitePhp(domain, s.php),
  };
}

/** A site's PHP values: whole numbers in PHP's own bounds (nothing else can reach the vhost's ini string). */
function checkSitePhp(domain: string, p: SitePhpSpec | undefined): SitePhpSpec {
  if (!p || typeof p !== 'object') throw renderError(`PHP settings of ${domain}`, String(p), 'are missing');
  const uploadMaxMb = safeInt(`upload_max_filesize of ${domain}`, p.uploadMaxMb, 1, 65_536);
  const postMaxMb = safeInt(`post_max_size of ${domain}`, p.postMaxMb, 1, 65_536);
  if (postMaxMb < uploadMaxMb) throw renderError(`post_max_size of ${domain}`, postMaxMb, `must be at least upload_max_filesize (${uploadMaxMb})`);
  if (typeof p.displayErrors !== 'boolean') throw renderError(`display_errors of ${domain}`, String(p.displayErrors), 'must be true or false');
  return {
    memoryLimitMb: safeInt(`memory_limit of ${domain}`, p.memoryLimitMb, 16, 65_536),
    uploadMaxMb,
    postMaxMb,
    maxExecutionSeconds: safeInt(`max_execution_time of ${domain}`, p.maxExecutionSeconds, 1, 86_400),
    maxInputVars: safeInt(`max_input_vars of ${domain}`, p.maxInputVars, 1, 1_000_000),
    displayErrors: p.displayErrors,
  };
}

function checkHosting(h: WebHostingSpec, php: Record<string, PhpRuntimeSpec>): WebHostingSpec {
  const name = safeToken('hosting name', h.name, /^[a-z][a-z0-9]{0,31}$/);
  if (h.status !== 'active' && h.status !== 'suspended') throw renderError(`status of ${name}`, h.status, 'must be active or suspended');
  const f = h.fpm ?? ({} as WebHostingSpec['fpm']);
  return {
    id: safeToken(`id of ${name}`, h.id),
    name,
    uid: safeInt(`uid of ${name}`, h.uid, 1000, 4_000_000_000),
    gid: safeInt(`gid of ${name}`, h.gid, 1000, 4_000_000_000),
    home: safePath(`home of ${name}`, h.home),
    status: h.status,
    fpm: {
      maxChildren: safeInt(`pm.max_children of ${name}`, f.maxChildren, 1, 1000),
      idleTimeoutSeconds: safeInt(`idle timeout of ${name}`, f.idleTimeoutSeconds, 1, 86_400),
      maxRequests: safeInt(`pm.max_requests of ${name}`, f.maxRequests, 0, 1_000_000),
      requestTimeoutSeconds: safeInt(`request timeout of ${name}`, f.requestTimeoutSeconds, 0, 86_400),
    },
    sites: (h.sites ?? []).map((s) => checkSite(name, s, php)),
  };
}

/** The spec with every field checked; throws an AppError `render.invalid` on the first bad one. */
export function checkWebNodeSpec(spec: WebNodeSpec): WebNodeSpec {
  const php: Record<string, PhpRuntimeSpec> = {};
  for (const [v, rt] of Object.entries(spec.php ?? {})) php[v] = checkPhpRuntime(v, rt);
  const a = spec.apache;
  const hostings = (spec.hostings ?? []).map((h) => checkHosting(h, php));
  const seen = new Map<string, string>();
  const claim = (what: string, value: string | number, owner: string) => {
    const key = `${what}\u0000${value}`;
    const prev = seen.get(key);
    if (prev !== undefined && prev !== owner) throw renderError(what, value, `is used by both ${prev} and ${owner}`);
    seen.set(key, owner);
  };
  for (const h of hostings) {
    claim('hosting name', h.name, h.id);
    claim('uid', h.uid, h.name);
    claim('home', h.home, h.name);
    for (const s of h.sites) for (const d of [s.domain, ...s.aliases]) claim('host name', d, `${h.name}/${s.id}`);
  }
  return {
    revision: safeInt('revision', spec.revision, 0, Number.MAX_SAFE_INTEGER),
    webServer: { user: safeUserName('web server user', spec.webServer?.user), group: safeUserName('web server group', spec.webServer?.group) },
    apache: {
      configDir: safePath('apache configDir', a?.configDir),
      runDir: safePath('apache runDir', a?.runDir),
      logDir: safePath('apache logDir', a?.logDir),
      modulesDir: safePath('apache modulesDir', a?.modulesDir),
      listenAddress: safeToken('apache listenAddress', a?.listenAddress, /^[0-9a-fA-F.:*]+$/),
      listenPort: safeInt('apache listenPort', a?.listenPort, 1, 65_535),
      extraDirectives: (a?.extraDirectives ?? []).map((d) => safeLine('extra Apache directive', d)),
    },
    php,
    fpmUmask: safeInt('FPM umask', spec.fpmUmask, 0, 0o777),
    hostings,
  };
}

/** A renderer's refusal (`render.invalid`) as the problem of the object it concerns; anything else is rethrown. */
export function renderProblem(e: unknown): ObjectProblem {
  if (e instanceof AppError && e.code === 'render.invalid') return { code: 'render.invalid', params: e.params as ObjectParams, message: e.message };
  throw e;
}

export interface WebPartition {
  /** the spec without the objects below: every renderer accepts it */
  spec: WebNodeSpec;
  /** hostings left out (id → why), with their sites */
  hostings: Map<string, ObjectProblem>;
  /** sites left out (id → why); their hosting and its other sites go on */
  sites: Map<string, ObjectProblem>;
}

/**
 * Leaves out what cannot be rendered, object by object: a hosting whose own fields are refused, a
 * site whose fields are refused, a hosting or site claiming a name, uid or home another one already
 * holds (those applied before keep theirs: `applied`). The node's own settings are not an object of
 * anybody: a refusal there throws. The problems name only their own object.
 */
export function partitionWebSpec(spec: WebNodeSpec, applied: ReadonlySet<string> = new Set()): WebPartition {
  const base = checkWebNodeSpec({ ...spec, hostings: [] });
  const hostings = new Map<string, ObjectProblem>();
  const sites = new Map<string, ObjectProblem>();
  const claims = new Map<string, string>();
  const taken = (what: string, value: string | number, owner: string) => {
    const prev = claims.get(`${what}\u0000${value}`);
    return prev !== undefined && prev !== owner;
  };
  const conflict = (what: string, value: string | number, kind: string): ObjectProblem => ({
    code: 'object.conflict', params: { what, value }, message: `${what} ${value} is already used by another ${kind} on this server`,
  });
  const kept = new Map<string, WebHostingSpec>();
  const order = [...spec.hostings].sort((a, b) => Number(applied.has(b.id)) - Number(applied.has(a.id)));
  for (const h of order) {
    let checked: WebHostingSpec;
    try {
      checked = checkHosting({ ...h, sites: [] }, base.php);
    } catch (e) {
      hostings.set(h.id, renderProblem(e));
      continue;
    }
    const clash = ([['hosting name', checked.name], ['uid', checked.uid], ['home', checked.home]] as const).find(([what, v]) => taken(what, v, h.id));
    if (clash) {
      hostings.set(h.id, conflict(clash[0], clash[1], 'hosting'));
      continue;
    }
    for (const [what, v] of [['hosting name', checked.name], ['uid', checked.uid], ['home', checked.home]] as const) claims.set(`${what}\u0000${v}`, h.id);
    const okSites: WebSiteSpec[] = [];
    for (const s of h.sites ?? []) {
      let site: WebSiteSpec;
      try {
        site = checkSite(checked.name, s, base.php);
      } catch (e) {
        sites.set(s.id, renderProblem(e));
        continue;
      }
      const host = [site.domain, ...site.aliases].find((d) => taken('host name', d, site.id));
      if (host) {
        sites.set(s.id, conflict('host name', host, 'site'));
        continue;
      }
      for (const d of [site.domain, ...site.aliases]) claims.set(`host name\u0000${d}`, site.id);
      okSites.push(s);
    }
    kept.set(h.id, { ...h, sites: okSites });
  }
  const out = { ...spec, hostings: spec.hostings.filter((h) => kept.has(h.id)).map((h) => kept.get(h.id)!) };
  checkWebNodeSpec(out); // what is left renders (a throw here is a bug of the checks above)
  return { spec: out, hostings, sites };
}
