# Shared by the shell benchmarks (sourced, not run): stopping processes, and the identity
# provider's and certificate authority's parts made on the spot with openssl. The sourcing
# script defines die() (prints its own name and exits 2).

# Stops `pid` with `signal`, waits up to `grace_seconds` for it to end, then kills it.
stop_pid() { # pid signal grace_seconds
  local pid=$1 sig=$2 grace=$3 i
  [ -n "$pid" ] || return 0
  kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null; return 0; }
  kill "-$sig" "$pid" 2>/dev/null
  for ((i = 0; i < grace * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null; fi
  wait "$pid" 2>/dev/null
  return 0
}

# base64url without padding (JWT segments).
b64url() { base64 -w0 | tr '+/' '-_' | tr -d '='; }

# An identity provider's signing key in `dir`: key.pem (RSA 2048) and jwks.json (kid "bench").
make_signing_key() { # dir
  local dir=$1 n
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$dir/key.pem" 2>/dev/null || die "openssl genpkey failed"
  n=$(openssl rsa -in "$dir/key.pem" -noout -modulus 2>/dev/null | cut -d= -f2 | xxd -r -p | b64url)
  printf '{"keys":[{"kty":"RSA","kid":"bench","use":"sig","alg":"RS256","n":"%s","e":"AQAB"}]}' "$n" >"$dir/jwks.json"
}

# Prints an RS256 token signed with `dir`/key.pem: issuer `issuer`, audience tmfd, client
# "bench", realm role `role`, valid for a day.
mint_token() { # dir issuer role
  local dir=$1 issuer=$2 role=$3 now header payload signature
  now=$(date +%s)
  header=$(printf '{"alg":"RS256","typ":"JWT","kid":"bench"}' | b64url)
  payload=$(printf '{"iss":"%s","aud":"tmfd","sub":"bench-client","azp":"bench","iat":%d,"exp":%d,"realm_access":{"roles":["%s"]}}' \
    "$issuer" "$now" "$((now + 86400))" "$role" | b64url)
  signature=$(printf '%s.%s' "$header" "$payload" | openssl dgst -sha256 -sign "$dir/key.pem" -binary | b64url)
  printf '%s.%s.%s' "$header" "$payload" "$signature"
}

# A self-signed P-256 certificate for localhost and 127.0.0.1: `dir`/server.pem and server.key.
make_server_certificate() { # dir
  local dir=$1
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=localhost \
    -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout "$dir/server.key" -out "$dir/server.pem" \
    >"$dir/openssl.log" 2>&1 || die "openssl could not make a certificate: $(tail -n 3 "$dir/openssl.log")"
}
