#pragma once
// Checks a bearer token (a JWS-signed JWT, RFC 7519) the way a resource server must: a signature
// by a key of a trusted issuer with one of the accepted algorithms, `iss`, `aud`, `exp` and
// `nbf` (with a small clock skew), then maps its claims to the caller. Verified tokens are cached
// by their full text until they expire, so a client reusing its token costs one lookup.
#include <cstdint>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>
#include <vector>

#include <tmfd/context.hpp>

#include "key_cache.hpp"

namespace tmfd::security {

struct TrustedIssuer {
  std::string issuer;                  // the exact `iss`
  std::vector<std::string> audiences;  // the token's `aud` must name one of these
};

struct ValidationSettings {
  std::vector<TrustedIssuer> issuers;  // same order as the key cache's sources
  std::int64_t clock_skew_seconds = 60;
  std::vector<std::string> role_claims;  // dotted paths to arrays of strings or space-separated strings
  std::string party_claim;               // dotted path to the caller's party id (empty: none)
  std::size_t cache_entries = 10000;     // verified tokens kept (0: no cache)
};

// Who the token says the caller is.
struct Caller {
  Principal principal;
  std::string party_id;
  std::int64_t expires_at = 0;  // the token's exp, seconds since the epoch
};

// Why a token was refused, as sent in WWW-Authenticate's error_description (short and without
// anything from the token itself).
struct Refusal {
  std::string description;
};

class TokenValidator {
public:
  TokenValidator(ValidationSettings settings, KeyCache& keys);

  // The caller, or why not. `now` in seconds since the epoch. Thread-safe.
  std::variant<std::shared_ptr<const Caller>, Refusal> validate(std::string_view token, std::int64_t now);

private:
  std::variant<std::shared_ptr<const Caller>, Refusal> verify(std::string_view token, std::int64_t now);
  void remember(std::string_view token, std::shared_ptr<const Caller> caller, std::int64_t now);

  ValidationSettings settings_;
  KeyCache& keys_;
  std::shared_mutex cache_mutex_;
  std::unordered_map<std::string, std::shared_ptr<const Caller>> cache_;
};

} // namespace tmfd::security
