#include "public_key.hpp"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>

#include <stdexcept>

#include "base64url.hpp"

namespace tmfd::security {

namespace {

struct BnFree { void operator()(BIGNUM* p) const noexcept { BN_free(p); } };
struct BldFree { void operator()(OSSL_PARAM_BLD* p) const noexcept { OSSL_PARAM_BLD_free(p); } };
struct ParamFree { void operator()(OSSL_PARAM* p) const noexcept { OSSL_PARAM_free(p); } };
struct CtxFree { void operator()(EVP_PKEY_CTX* p) const noexcept { EVP_PKEY_CTX_free(p); } };
struct MdCtxFree { void operator()(EVP_MD_CTX* p) const noexcept { EVP_MD_CTX_free(p); } };
struct SigFree { void operator()(ECDSA_SIG* p) const noexcept { ECDSA_SIG_free(p); } };
using Bn = std::unique_ptr<BIGNUM, BnFree>;

std::string member(const json::object& o, std::string_view name) {
  auto it = o.find(name);
  return it != o.end() && it->value().is_string() ? std::string(it->value().get_string()) : std::string();
}

Bn big_number(const std::string& bytes) {
  return Bn(BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()), nullptr));
}

// A public key from OpenSSL parameters: "RSA" or "EC".
EVP_PKEY* from_params(const char* type, OSSL_PARAM* params) {
  std::unique_ptr<EVP_PKEY_CTX, CtxFree> ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  EVP_PKEY* key = nullptr;
  if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) <= 0 ||
      EVP_PKEY_fromdata(ctx.get(), &key, EVP_PKEY_PUBLIC_KEY, params) <= 0)
    return nullptr;
  return key;
}

EVP_PKEY* rsa_key(const json::object& jwk) {
  auto n = base64url_decode(member(jwk, "n"));
  auto e = base64url_decode(member(jwk, "e"));
  if (!n || !e || n->empty() || e->empty()) return nullptr;
  Bn bn_n = big_number(*n), bn_e = big_number(*e);
  std::unique_ptr<OSSL_PARAM_BLD, BldFree> bld(OSSL_PARAM_BLD_new());
  if (!bn_n || !bn_e || !bld || !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, bn_n.get()) ||
      !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, bn_e.get()))
    return nullptr;
  std::unique_ptr<OSSL_PARAM, ParamFree> params(OSSL_PARAM_BLD_to_param(bld.get()));
  return params ? from_params("RSA", params.get()) : nullptr;
}

EVP_PKEY* p256_key(const json::object& jwk) {
  if (member(jwk, "crv") != "P-256") return nullptr;
  auto x = base64url_decode(member(jwk, "x"));
  auto y = base64url_decode(member(jwk, "y"));
  if (!x || !y || x->size() != 32 || y->size() != 32) return nullptr;
  std::string point = "\x04" + *x + *y;  // uncompressed point
  char group[] = "prime256v1";
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, group, 0),
      OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()),
      OSSL_PARAM_construct_end()};
  return from_params("EC", params);
}

// JOSE's r||s as the DER ECDSA-Sig-Value OpenSSL verifies.
std::string der_signature(std::string_view raw) {
  if (raw.size() != 64) return {};
  std::unique_ptr<ECDSA_SIG, SigFree> sig(ECDSA_SIG_new());
  BIGNUM* r = BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()), 32, nullptr);
  BIGNUM* s = BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()) + 32, 32, nullptr);
  if (!sig || !r || !s || !ECDSA_SIG_set0(sig.get(), r, s)) {
    BN_free(r);
    BN_free(s);
    return {};
  }
  unsigned char* der = nullptr;
  const int len = i2d_ECDSA_SIG(sig.get(), &der);
  if (len <= 0) return {};
  std::string out(reinterpret_cast<char*>(der), static_cast<std::size_t>(len));
  OPENSSL_free(der);
  return out;
}

} // namespace

std::optional<Algorithm> algorithm_named(std::string_view alg) {
  if (alg == "RS256") return Algorithm::RS256;
  if (alg == "PS256") return Algorithm::PS256;
  if (alg == "ES256") return Algorithm::ES256;
  return std::nullopt;
}

PublicKey::~PublicKey() { EVP_PKEY_free(key_); }

bool PublicKey::fits(Algorithm alg) const noexcept {
  const bool wants_rsa = alg != Algorithm::ES256;
  if (wants_rsa != is_rsa_) return false;
  if (alg_.empty()) return true;
  switch (alg) {
  case Algorithm::RS256: return alg_ == "RS256";
  case Algorithm::PS256: return alg_ == "PS256";
  case Algorithm::ES256: return alg_ == "ES256";
  }
  return false;
}

bool PublicKey::verify(Algorithm alg, std::string_view signing_input, std::string_view signature) const {
  if (!fits(alg)) return false;
  std::string der;
  if (alg == Algorithm::ES256) {
    der = der_signature(signature);
    if (der.empty()) return false;
    signature = der;
  }
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> md(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;  // owned by md
  if (!md || EVP_DigestVerifyInit(md.get(), &pctx, EVP_sha256(), nullptr, key_) <= 0) return false;
  if (alg == Algorithm::PS256 && (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) <= 0 ||
                                  EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) <= 0))
    return false;
  return EVP_DigestVerify(md.get(), reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
                          reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size()) == 1;
}

KeySet parse_jwks(std::string_view text) {
  boost::system::error_code ec;
  json::value doc = json::parse(text, ec);
  if (ec || !doc.is_object()) throw std::invalid_argument("not a JSON object");
  const auto* keys = doc.as_object().if_contains("keys");
  if (!keys || !keys->is_array()) throw std::invalid_argument("no \"keys\" array");
  KeySet out;
  for (const auto& k : keys->as_array()) {
    if (!k.is_object()) continue;
    const auto& jwk = k.as_object();
    const auto use = member(jwk, "use");
    if (!use.empty() && use != "sig") continue;  // an encryption key signs nothing
    const auto kty = member(jwk, "kty");
    EVP_PKEY* key = kty == "RSA" ? rsa_key(jwk) : kty == "EC" ? p256_key(jwk) : nullptr;
    if (key) out.push_back(std::make_shared<const PublicKey>(member(jwk, "kid"), kty == "RSA", member(jwk, "alg"), key));
  }
  return out;
}

} // namespace tmfd::security
