#!/usr/bin/env bash
# Runs TM Forum conformance test kits (CTKs: Postman collections) against a running tmfd and
# prints, per kit, the requests sent and the assertions passed and failed.
#
# Usage: scripts/ctk.sh KIT_OR_FOLDER_OF_KITS [TMFD_URL]
#   KIT_OR_FOLDER_OF_KITS  an extracted kit (a folder with ctk/*.json), or a folder of such kits
#   TMFD_URL               where tmfd listens, scheme://host:port (default http://127.0.0.1:8080)
# Environment:
#   NEWMAN             the newman executable (default: newman on $PATH)
#   CTK_API_PATH       API root to test instead of the kit's own, e.g. /tmf-api/party/v4
#                      (only sensible with one kit)
#   CTK_AUTHORIZATION  Authorization header sent with every request (e.g. "Bearer eyJ..."); the
#                      kits' placeholder tokens are removed otherwise
#   CTK_OUT            folder for the adapted collections and results (default: a temporary one)
#
# Nothing is downloaded: the kits and newman must already be on disk (docs/testing.md says how).
# The kit is not changed; its collection and environment are adapted in CTK_OUT:
#   - the API root is taken from the kit (config.json "url", or the DefaultURL of ctk/index.js),
#     its version set to v4 (tmfd serves TMF v4 only), and put on TMFD_URL;
#   - every variable a request URL starts with is set to that root, and a URL that spells out a
#     host variable with /tmf-api/<api>/vN is rewritten onto it;
#   - the headers and example payloads of config.json are applied as the kit's index.js would.
# Output: per kit, the requests sent, the assertions passed and failed, and the errors (requests
# with no response, test scripts that threw and so skipped their remaining assertions).
# Exit status: 0 when every kit ran with no failed assertion and no error, 1 otherwise, 2 on
# usage errors.
set -euo pipefail

usage() { sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; }
if [[ "${1:-}" == "-h" || "${1:-}" == "--help" ]]; then usage; exit 0; fi
if [[ $# -lt 1 || $# -gt 2 ]]; then usage >&2; exit 2; fi
target=$1
tmfd_url=${2:-http://127.0.0.1:8080}
tmfd_url=${tmfd_url%/}
newman=${NEWMAN:-newman}
if ! command -v "$newman" > /dev/null; then
  echo "ctk.sh: newman not found (set NEWMAN=/path/to/node_modules/.bin/newman)" >&2
  exit 2
fi
command -v node > /dev/null || { echo "ctk.sh: node not found" >&2; exit 2; }
[[ -d "$target" ]] || { echo "ctk.sh: $target is not a folder" >&2; exit 2; }

out=${CTK_OUT:-$(mktemp -d /tmp/tmfd-ctk.XXXXXX)}
mkdir -p "$out"

# A kit is a folder holding a Postman collection, directly or in ctk/.
is_kit() { compgen -G "$1/ctk/*.json" > /dev/null || compgen -G "$1/*postman_collection.json" > /dev/null; }

kits=()
if is_kit "$target"; then
  kits=("$target")
else
  for d in "$target"/*/; do
    d=${d%/}
    if is_kit "$d"; then kits+=("$d"); fi
  done
fi
if [[ ${#kits[@]} -eq 0 ]]; then
  echo "ctk.sh: no kit in $target" >&2
  exit 2
fi

# Writes <out>/<kit>.collection.json and <out>/<kit>.environment.json; prints the API root used.
adapt_kit() {
  node - "$1" "$tmfd_url" "$2" "${CTK_API_PATH:-}" "${CTK_AUTHORIZATION:-}" <<'NODE'
const fs = require('fs');
const path = require('path');
const [kit, tmfdUrl, outPrefix, apiPathOverride, authorization] = process.argv.slice(2);

const ctkDir = fs.existsSync(path.join(kit, 'ctk')) ? path.join(kit, 'ctk') : kit;
const readJson = (f) => JSON.parse(fs.readFileSync(f, 'utf8'));
const files = fs.readdirSync(ctkDir).filter((f) => f.endsWith('.json')).sort();
const fail = (m) => { console.error(`ctk.sh: ${kit}: ${m}`); process.exit(1); };

// The collection: a Postman collection (info + item), not the pmtest.json index.js generates.
let collection, environment;
for (const f of files) {
  if (f === 'pmtest.json' || f === 'TMFENV.json' || f === 'package.json') continue;
  let j;
  try { j = readJson(path.join(ctkDir, f)); } catch (e) { continue; }
  if (j && j.info && Array.isArray(j.item) && !collection) collection = j;
  else if (j && Array.isArray(j.values) && !environment) environment = j;
}
if (!collection) fail('no Postman collection');
if (!environment) environment = { name: 'ctk', values: [] };

const configFile = path.join(kit, 'config.json');
const config = fs.existsSync(configFile) ? readJson(configFile) : null;
const indexFile = path.join(ctkDir, 'index.js');
const indexJs = fs.existsSync(indexFile) ? fs.readFileSync(indexFile, 'utf8') : '';

// The API root the kit was written for, moved to v4 and onto tmfd.
let apiPath = apiPathOverride;
if (!apiPath) {
  let url = config && config.url ? config.url.trim() : '';
  if (!url) {
    const m = indexJs.match(/DefaultURL\s*=\s*["'`]([^"'`]+)["'`]/);
    if (m) url = m[1];
  }
  const m = url.match(/(\/tmf-api\/.*)$/);
  if (!m) fail('cannot tell the API root (no config.json url, no DefaultURL); set CTK_API_PATH');
  apiPath = m[1];
}
apiPath = apiPath.replace(/\/+$/, '').replace(/\/v\d+$/, '/v4');
const apiRoot = tmfdUrl + apiPath;

// Every request, wherever it sits in the folder tree.
const requests = [];
const walk = (items) => items.forEach((it) => {
  if (it.request) requests.push(it);
  if (Array.isArray(it.item)) walk(it.item);
});
walk(collection.item);

// The URL as a string, with Postman path variables (/:id) put in as the object names them.
const rawUrl = (r) => {
  if (typeof r.url === 'string') return r.url;
  let raw = (r.url && r.url.raw) || '';
  for (const v of (r.url && r.url.variable) || []) {
    raw = raw.replace(new RegExp(`/:${v.key}(?=[/?#]|$)`), `/${v.value}`);
  }
  return raw;
};
const rootVars = new Map(); // variable -> whether the URL goes on without a slash
for (const it of requests) {
  let raw = rawUrl(it.request);
  // {{Host}}/tmf-api/someApi/v3/... names the API itself: put it on the root under test.
  raw = raw.replace(/^\{\{\w+\}\}\/tmf-api\/[^/?]+\/v\d+/, apiRoot);
  const m = raw.match(/^\{\{(\w+)\}\}(.?)/);
  if (m) rootVars.set(m[1], rootVars.get(m[1]) || (m[2] !== '/' && m[2] !== '?' && m[2] !== ''));
  it.request.url = raw; // a string: newman parses it, so no stale host/path parts remain
}

const setVar = (key, value) => {
  const v = environment.values.find((e) => e.key === key);
  if (v) { v.value = value; v.enabled = true; } else environment.values.push({ key, value, enabled: true });
};
for (const [key, noSlash] of rootVars) setVar(key, noSlash ? apiRoot + '/' : apiRoot);
const u = new URL(tmfdUrl);
if (environment.values.some((e) => e.key === 'host')) setVar('host', u.hostname);
if (environment.values.some((e) => e.key === 'port')) setVar('port', u.port || (u.protocol === 'https:' ? '443' : '80'));
if (environment.values.some((e) => e.key === 'schema')) setVar('schema', u.protocol.replace(':', ''));

// Headers: config.json's replace each request's, as index.js does; placeholder tokens go.
const applyHeaders = (it) => {
  let headers = Array.isArray(it.request.header) ? it.request.header : [];
  if (config && config.headers) {
    headers = Object.entries(config.headers).map(([key, value]) => ({ key, value }));
  }
  headers = headers.filter((h) => h.key.toLowerCase() !== 'authorization');
  if (authorization) headers.push({ key: 'Authorization', value: authorization });
  it.request.header = headers;
};
requests.forEach(applyHeaders);

// Example payloads of config.json go where index.js puts them (the first request of a folder).
if (config && config.payloads) {
  const put = (resource, folder, request) => {
    const p = config.payloads[resource];
    const target = collection.item[folder] && collection.item[folder].item && collection.item[folder].item[request];
    if (p && p.POST && p.POST.payload && target && target.request.body) {
      target.request.body.raw = JSON.stringify(p.POST.payload);
    }
  };
  const conditional = /resource\s*==\s*["'](\w+)["']\s*\)\s*\{\s*pmCollection\['item'\]\[(\d+)\]\['item'\]\[(\d+)\]\['request'\]\['body'\]/g;
  let m, any = false;
  while ((m = conditional.exec(indexJs))) { any = true; put(m[1], +m[2], +m[3]); }
  const single = indexJs.match(/^\s*pmCollection\['item'\]\[(\d+)\]\['item'\]\[(\d+)\]\['request'\]\['body'\]/m);
  if (!any && single) Object.keys(config.payloads).forEach((r) => put(r, +single[1], +single[2]));
}

environment.name = 'tmfd';
fs.writeFileSync(outPrefix + '.collection.json', JSON.stringify(collection));
fs.writeFileSync(outPrefix + '.environment.json', JSON.stringify(environment));
console.log(apiRoot);
NODE
}

# Prints "requests errors assertions failed_assertions" from a newman JSON report. Errors are
# requests that got no response (tmfd not reachable, a timeout) and test scripts that threw (a
# body that is not JSON): a script that throws skips its remaining assertions, so they are not
# counted as failed.
counts() {
  node -e '
    const s = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).run.stats;
    const errors = s.requests.failed + s.testScripts.failed + s.prerequestScripts.failed;
    console.log(s.requests.total, errors, s.assertions.total, s.assertions.failed);
  ' "$1"
}

status=0
printf '%-45s %-60s %9s %7s %7s %7s\n' KIT API_ROOT REQUESTS PASSED FAILED ERRORS
for kit in "${kits[@]}"; do
  name=$(basename "$kit")
  prefix="$out/$name"
  if ! root=$(adapt_kit "$kit" "$prefix"); then status=1; continue; fi
  # --suppress-exit-code: failures are counted from the report, not from newman's status.
  "$newman" run "$prefix.collection.json" -e "$prefix.environment.json" \
    --reporters cli,json --reporter-json-export "$prefix.report.json" \
    --timeout-request 15000 --insecure --color off --suppress-exit-code > "$prefix.log" 2>&1 || true
  if [[ ! -s "$prefix.report.json" ]]; then
    printf '%-45s %-60s %s\n' "$name" "$root" "newman did not run (see $prefix.log)"
    status=1
    continue
  fi
  read -r requests errors assertions failed < <(counts "$prefix.report.json")
  printf '%-45s %-60s %9s %7s %7s %7s\n' "$name" "$root" "$requests" "$((assertions - failed))" "$failed" "$errors"
  if [[ "$errors" -gt 0 || "$failed" -gt 0 ]]; then status=1; fi
done
echo "newman output and JSON reports: $out"
exit $status
