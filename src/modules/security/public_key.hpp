#pragma once
// Public keys from a JWKS document (RFC 7517) and JWS signature checks (RFC 7518) with OpenSSL 3's
// EVP interface. Only what an OIDC provider signs access tokens with: RSA keys for RS256 and
// PS256, P-256 keys for ES256. Everything else in a key set (encryption keys, HMAC secrets, other
// curves) is skipped, never an error: providers publish more than tokens need.
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <tmfd/json.hpp>

typedef struct evp_pkey_st EVP_PKEY;

namespace tmfd::security {

enum class Algorithm { RS256, PS256, ES256 };

// The algorithm named by a JOSE `alg`, or nullopt for any other (none, HS256, RS512, ...).
std::optional<Algorithm> algorithm_named(std::string_view alg);

class PublicKey {
public:
  PublicKey(std::string kid, bool is_rsa, std::string alg, EVP_PKEY* key) noexcept
      : kid_(std::move(kid)), is_rsa_(is_rsa), alg_(std::move(alg)), key_(key) {}
  ~PublicKey();
  PublicKey(const PublicKey&) = delete;
  PublicKey& operator=(const PublicKey&) = delete;

  const std::string& kid() const noexcept { return kid_; }
  // The key can check this algorithm: its type fits, and its own `alg` (when it declares one)
  // is the same. An RSA key never checks an ES256 signature, nor the reverse.
  bool fits(Algorithm alg) const noexcept;
  // The signature over `signing_input` (header.payload as sent) is valid. JOSE writes an ES256
  // signature as r||s (32 bytes each); OpenSSL wants DER, converted here.
  bool verify(Algorithm alg, std::string_view signing_input, std::string_view signature) const;

private:
  std::string kid_;
  bool is_rsa_;
  std::string alg_;  // the JWK's `alg`, empty when it has none
  EVP_PKEY* key_;
};

using KeySet = std::vector<std::shared_ptr<const PublicKey>>;

// The usable signing keys of a JWKS document (`{"keys": [...]}`). Throws std::invalid_argument
// when the text is not a JWKS at all; a key of a kind tmfd does not use is skipped.
KeySet parse_jwks(std::string_view text);

} // namespace tmfd::security
