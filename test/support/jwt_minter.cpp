#include "jwt_minter.hpp"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <vector>

namespace tmfd::test {

namespace {

void require(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("OpenSSL: ") + what);
}

std::string bn_bytes(EVP_PKEY* key, const char* name, int pad_to = 0) {
  BIGNUM* bn = nullptr;
  require(EVP_PKEY_get_bn_param(key, name, &bn) == 1, name);
  std::vector<unsigned char> buf(static_cast<std::size_t>(std::max(BN_num_bytes(bn), pad_to)));
  const int n = pad_to ? BN_bn2binpad(bn, buf.data(), pad_to) : BN_bn2bin(bn, buf.data());
  BN_free(bn);
  return std::string(reinterpret_cast<char*>(buf.data()), static_cast<std::size_t>(n));
}

std::string part(const boost::json::object& o) { return base64url(boost::json::serialize(o)); }

} // namespace

std::string base64url(const std::string& bytes) {
  static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  unsigned acc = 0;
  int bits = 0;
  for (unsigned char c : bytes) {
    acc = (acc << 8) | c;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out.push_back(a[(acc >> bits) & 63]);
    }
  }
  if (bits) out.push_back(a[(acc << (6 - bits)) & 63]);
  return out;
}

SigningKey SigningKey::rsa(std::string kid) {
  EVP_PKEY* k = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(2048));
  require(k, "RSA key generation");
  return SigningKey(std::move(kid), std::shared_ptr<EVP_PKEY>(k, EVP_PKEY_free));
}

SigningKey SigningKey::p256(std::string kid) {
  EVP_PKEY* k = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  require(k, "EC key generation");
  return SigningKey(std::move(kid), std::shared_ptr<EVP_PKEY>(k, EVP_PKEY_free));
}

boost::json::object SigningKey::jwk() const {
  EVP_PKEY* k = key_.get();
  if (EVP_PKEY_is_a(k, "RSA"))
    return {{"kty", "RSA"}, {"kid", kid_}, {"use", "sig"},
            {"n", base64url(bn_bytes(k, OSSL_PKEY_PARAM_RSA_N))}, {"e", base64url(bn_bytes(k, OSSL_PKEY_PARAM_RSA_E))}};
  return {{"kty", "EC"}, {"kid", kid_}, {"use", "sig"}, {"crv", "P-256"},
          {"x", base64url(bn_bytes(k, OSSL_PKEY_PARAM_EC_PUB_X, 32))},
          {"y", base64url(bn_bytes(k, OSSL_PKEY_PARAM_EC_PUB_Y, 32))}};
}

std::string SigningKey::public_pem() const {
  BIO* bio = BIO_new(BIO_s_mem());
  require(PEM_write_bio_PUBKEY(bio, key_.get()) == 1, "PEM");
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio, &data);
  std::string out(data, static_cast<std::size_t>(len));
  BIO_free(bio);
  return out;
}

std::string SigningKey::sign(const std::string& alg, const std::string& input) const {
  EVP_MD_CTX* md = EVP_MD_CTX_new();
  EVP_PKEY_CTX* pctx = nullptr;
  require(EVP_DigestSignInit(md, &pctx, EVP_sha256(), nullptr, key_.get()) == 1, "sign init");
  if (alg == "PS256") {
    require(EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1, "PSS");
    require(EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) == 1, "PSS salt");
  }
  size_t len = 0;
  require(EVP_DigestSign(md, nullptr, &len, reinterpret_cast<const unsigned char*>(input.data()), input.size()) == 1, "sign");
  std::string sig(len, '\0');
  require(EVP_DigestSign(md, reinterpret_cast<unsigned char*>(sig.data()), &len,
                         reinterpret_cast<const unsigned char*>(input.data()), input.size()) == 1, "sign");
  sig.resize(len);
  EVP_MD_CTX_free(md);
  if (alg != "ES256") return sig;
  // DER ECDSA-Sig-Value -> r||s, 32 bytes each, as JOSE writes it.
  const unsigned char* p = reinterpret_cast<const unsigned char*>(sig.data());
  ECDSA_SIG* es = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(sig.size()));
  require(es, "ECDSA DER");
  unsigned char raw[64];
  BN_bn2binpad(ECDSA_SIG_get0_r(es), raw, 32);
  BN_bn2binpad(ECDSA_SIG_get0_s(es), raw + 32, 32);
  ECDSA_SIG_free(es);
  return std::string(reinterpret_cast<char*>(raw), 64);
}

std::string mint_with_header(const SigningKey& key, const std::string& alg, const boost::json::object& header,
                             const boost::json::object& claims) {
  const std::string input = part(header) + "." + part(claims);
  return input + "." + base64url(key.sign(alg, input));
}

std::string mint(const SigningKey& key, const std::string& alg, const boost::json::object& claims) {
  return mint_with_header(key, alg, {{"alg", alg}, {"typ", "JWT"}, {"kid", key.kid()}}, claims);
}

std::string mint_unsigned(const boost::json::object& claims) {
  return part({{"alg", "none"}, {"typ", "JWT"}}) + "." + part(claims) + ".";
}

std::string mint_hs256(const std::string& secret, const std::string& kid, const boost::json::object& claims) {
  const std::string input = part({{"alg", "HS256"}, {"typ", "JWT"}, {"kid", kid}}) + "." + part(claims);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()), reinterpret_cast<const unsigned char*>(input.data()),
       input.size(), mac, &len);
  return input + "." + base64url(std::string(reinterpret_cast<char*>(mac), len));
}

std::string jwks(std::initializer_list<const SigningKey*> keys) {
  boost::json::array a;
  for (const auto* k : keys) a.push_back(k->jwk());
  return boost::json::serialize(boost::json::object{{"keys", std::move(a)}});
}

long long unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

} // namespace tmfd::test
