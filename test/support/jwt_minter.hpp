#pragma once
// Signing keys made at test time with OpenSSL (RSA 2048 and P-256), their public JWKs, and JWTs
// signed with them as an identity provider would (RS256, PS256, ES256), plus the forgeries a
// resource server must refuse (alg none, HS256 keyed with the public key).
#include <memory>
#include <string>

#include <boost/json.hpp>

typedef struct evp_pkey_st EVP_PKEY;

namespace tmfd::test {

class SigningKey {
public:
  static SigningKey rsa(std::string kid);
  static SigningKey p256(std::string kid);

  const std::string& kid() const { return kid_; }
  // The public key as a JWK (kty, kid, use, n/e or crv/x/y).
  boost::json::object jwk() const;
  // The public key as PEM (SubjectPublicKeyInfo): what the HS256 forgery uses as its secret.
  std::string public_pem() const;
  // JWS signature bytes over `input` for RS256, PS256 or ES256 (raw r||s).
  std::string sign(const std::string& alg, const std::string& input) const;

private:
  SigningKey(std::string kid, std::shared_ptr<EVP_PKEY> key) : kid_(std::move(kid)), key_(std::move(key)) {}
  std::string kid_;
  std::shared_ptr<EVP_PKEY> key_;
};

std::string base64url(const std::string& bytes);

// A signed token: header {alg, typ, kid}; mint_with_header takes the header as given.
std::string mint(const SigningKey& key, const std::string& alg, const boost::json::object& claims);
std::string mint_with_header(const SigningKey& key, const std::string& alg, const boost::json::object& header,
                             const boost::json::object& claims);
// Forgeries.
std::string mint_unsigned(const boost::json::object& claims);                         // alg none
std::string mint_hs256(const std::string& secret, const std::string& kid, const boost::json::object& claims);

// A JWKS document of the keys.
std::string jwks(std::initializer_list<const SigningKey*> keys);

// Seconds since the epoch.
long long unix_now();

} // namespace tmfd::test
