// Pure rules of per-site PHP settings: the defaults, the offer's bounds, what the site is served with.
import { AppError, type FieldIssue } from '../platform/errors.js';
import {
  MAX_INPUT_VARS, sizeMb, sizeText, type PhpBounds, type PhpValues, type SitePhpOut, type SitePhpPatch, type SitePhpSettings,
} from './model-php.js';

const DEFAULT_MAX_EXECUTION = 30;
const DEFAULT_MAX_INPUT_VARS = 1000;

/** The values a site is served with: its choices within the offer's bounds (a lowered bound wins), else the defaults. */
export function effectivePhp(chosen: SitePhpSettings, b: PhpBounds): PhpValues {
  const within = (v: number | undefined, max: number, dflt: number) => Math.min(v ?? dflt, max);
  const postMaxMb = within(chosen.postMaxMb, b.phpUploadMaxMb, b.phpUploadMaxMb);
  return {
    memoryLimitMb: within(chosen.memoryLimitMb, b.phpMemoryMb, b.phpMemoryMb),
    // by default uploads may be as large as a POST request may be
    uploadMaxMb: Math.min(within(chosen.uploadMaxMb, b.phpUploadMaxMb, b.phpUploadMaxMb), chosen.uploadMaxMb === undefined ? postMaxMb : Infinity),
    postMaxMb,
    maxExecutionSeconds: within(chosen.maxExecutionSeconds, b.phpMaxExecutionSeconds, DEFAULT_MAX_EXECUTION),
    maxInputVars: within(chosen.maxInputVars, MAX_INPUT_VARS, DEFAULT_MAX_INPUT_VARS),
    displayErrors: chosen.displayErrors ?? false,
  };
}

const API_KEY = {
  memoryLimitMb: 'memoryLimit', uploadMaxMb: 'uploadMaxFilesize', postMaxMb: 'postMaxSize', maxExecutionSeconds: 'maxExecutionTime', maxInputVars: 'maxInputVars',
} as const;
const INI = { memoryLimit: 'memory_limit', uploadMaxFilesize: 'upload_max_filesize', postMaxSize: 'post_max_size', maxExecutionTime: 'max_execution_time', maxInputVars: 'max_input_vars' };

/** The stored settings after a patch (null: back to the default), refused beyond the offer's bounds. */
export function patchPhp(before: SitePhpSettings, patch: SitePhpPatch, b: PhpBounds, offerName: string): SitePhpSettings {
  const after: SitePhpSettings = { ...before };
  const set = <K extends keyof SitePhpSettings>(k: K, v: SitePhpSettings[K] | null | undefined) => {
    if (v === null) delete after[k];
    else if (v !== undefined) after[k] = v;
  };
  const mb = (s: string | null | undefined) => (s === null || s === undefined ? s : sizeMb(s));
  set('memoryLimitMb', mb(patch.memoryLimit));
  set('uploadMaxMb', mb(patch.uploadMaxFilesize));
  set('postMaxMb', mb(patch.postMaxSize));
  set('maxExecutionSeconds', patch.maxExecutionTime);
  set('maxInputVars', patch.maxInputVars);
  set('displayErrors', patch.displayErrors);
  const max = { memoryLimitMb: b.phpMemoryMb, uploadMaxMb: b.phpUploadMaxMb, postMaxMb: b.phpUploadMaxMb, maxExecutionSeconds: b.phpMaxExecutionSeconds, maxInputVars: MAX_INPUT_VARS };
  const issues: FieldIssue[] = [];
  for (const k of Object.keys(API_KEY) as (keyof typeof API_KEY)[]) {
    const v = after[k];
    const given = patch[API_KEY[k]];
    if (v === undefined || given === undefined || given === null || v <= max[k]) continue;
    const shown = k === 'maxExecutionSeconds' || k === 'maxInputVars' ? String(max[k]) : sizeText(max[k]);
    issues.push({ path: `body.${API_KEY[k]}`, code: 'php.above_offer', message: `${INI[API_KEY[k]]} may be at most ${shown} with the offer "${offerName}"`, params: { setting: INI[API_KEY[k]], max: shown, offer: offerName } });
  }
  if (issues.length) throw new AppError('php.above_offer', issues.map((i) => i.message).join('; '), { params: issues[0]!.params, issues });
  const served = effectivePhp(after, b);
  if (served.postMaxMb < served.uploadMaxMb) {
    const message = `post_max_size (${sizeText(served.postMaxMb)}) must be at least upload_max_filesize (${sizeText(served.uploadMaxMb)}): a file is sent inside a POST request`;
    const params = { postMaxSize: sizeText(served.postMaxMb), uploadMaxFilesize: sizeText(served.uploadMaxMb) };
    throw new AppError('php.post_below_upload', message, { params, issues: [{ path: patch.postMaxSize !== undefined ? 'body.postMaxSize' : 'body.uploadMaxFilesize', code: 'php.post_below_upload', message, params }] });
  }
  return after;
}

/** The API's view of a site's settings. */
export function phpView(site: { id: string; domain: string }, chosen: SitePhpSettings, b: PhpBounds): SitePhpOut {
  const v = effectivePhp(chosen, b);
  const c: SitePhpOut['chosen'] = {};
  if (chosen.memoryLimitMb !== undefined) c.memoryLimit = sizeText(chosen.memoryLimitMb);
  if (chosen.uploadMaxMb !== undefined) c.uploadMaxFilesize = sizeText(chosen.uploadMaxMb);
  if (chosen.postMaxMb !== undefined) c.postMaxSize = sizeText(chosen.postMaxMb);
  if (chosen.maxExecutionSeconds !== undefined) c.maxExecutionTime = chosen.maxExecutionSeconds;
  if (chosen.maxInputVars !== undefined) c.maxInputVars = chosen.maxInputVars;
  if (chosen.displayErrors !== undefined) c.displayErrors = chosen.displayErrors;
  const lowered = [
    ...(chosen.memoryLimitMb !== undefined && chosen.memoryLimitMb > b.phpMemoryMb ? ['memoryLimit'] : []),
    ...(chosen.uploadMaxMb !== undefined && chosen.uploadMaxMb > b.phpUploadMaxMb ? ['uploadMaxFilesize'] : []),
    ...(chosen.postMaxMb !== undefined && chosen.postMaxMb > b.phpUploadMaxMb ? ['postMaxSize'] : []),
    ...(chosen.maxExecutionSeconds !== undefined && chosen.maxExecutionSeconds > b.phpMaxExecutionSeconds ? ['maxExecutionTime'] : []),
  ];
  return {
    siteId: site.id,
    domain: site.domain,
    values: {
      memoryLimit: sizeText(v.memoryLimitMb), uploadMaxFilesize: sizeText(v.uploadMaxMb), postMaxSize: sizeText(v.postMaxMb),
      maxExecutionTime: v.maxExecutionSeconds, maxInputVars: v.maxInputVars, displayErrors: v.displayErrors,
    },
    chosen: c,
    max: {
      memoryLimit: sizeText(b.phpMemoryMb), uploadMaxFilesize: sizeText(b.phpUploadMaxMb), postMaxSize: sizeText(b.phpUploadMaxMb),
      maxExecutionTime: b.phpMaxExecutionSeconds, maxInputVars: MAX_INPUT_VARS,
    },
    lowered,
  };
}
