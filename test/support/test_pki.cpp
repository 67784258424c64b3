#include "test_pki.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <stdexcept>

namespace tmfd::test {

namespace {

void require(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("test PKI: ") + what + " failed");
}

EVP_PKEY* new_key() {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  require(key != nullptr, "key generation");
  return key;
}

void add_extension(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
  require(ext != nullptr, "certificate extension");
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
}

X509* new_certificate(EVP_PKEY* key, const std::string& common_name, long from, long until, long serial) {
  X509* cert = X509_new();
  X509_set_version(cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), serial);
  X509_gmtime_adj(X509_getm_notBefore(cert), from);
  X509_gmtime_adj(X509_getm_notAfter(cert), until);
  X509_set_pubkey(cert, key);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("tmfd tests"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(common_name.c_str()), -1, -1, 0);
  return cert;
}

void write_pem(const std::string& path, X509* cert) {
  FILE* f = std::fopen(path.c_str(), "w");
  require(f && PEM_write_X509(f, cert) == 1, "writing a certificate");
  std::fclose(f);
}

void write_key(const std::string& path, EVP_PKEY* key, const std::string& password) {
  FILE* f = std::fopen(path.c_str(), "w");
  require(f != nullptr, "opening a key file");
  const bool ok = password.empty()
                      ? PEM_write_PrivateKey(f, key, nullptr, nullptr, 0, nullptr, nullptr) == 1
                      : PEM_write_PrivateKey(f, key, EVP_aes_256_cbc(),
                                             reinterpret_cast<const unsigned char*>(password.data()),
                                             static_cast<int>(password.size()), nullptr, nullptr) == 1;
  std::fclose(f);
  require(ok, "writing a key");
}

long next_serial() {
  static long serial = 1000;
  return ++serial;
}

} // namespace

struct TestCa::Keys {
  EVP_PKEY* key = nullptr;
  X509* cert = nullptr;
};

TestCa::TestCa(std::string dir, std::string name) : dir_(std::move(dir)), keys_(new Keys) {
  keys_->key = new_key();
  keys_->cert = new_certificate(keys_->key, "tmfd test CA " + name, -86400, 86400 * 30, next_serial());
  X509_set_issuer_name(keys_->cert, X509_get_subject_name(keys_->cert));
  add_extension(keys_->cert, keys_->cert, NID_basic_constraints, "critical,CA:TRUE");
  add_extension(keys_->cert, keys_->cert, NID_key_usage, "critical,keyCertSign,cRLSign");
  add_extension(keys_->cert, keys_->cert, NID_subject_key_identifier, "hash");
  require(X509_sign(keys_->cert, keys_->key, EVP_sha256()) > 0, "signing the CA");
  ca_file_ = dir_ + "/" + name + ".pem";
  write_pem(ca_file_, keys_->cert);
  write_key(dir_ + "/" + name + ".key", keys_->key, "");
}

TestCa::~TestCa() {
  X509_free(keys_->cert);
  EVP_PKEY_free(keys_->key);
  delete keys_;
}

IssuedCertificate TestCa::issue(const CertificateSpec& spec) const {
  EVP_PKEY* key = new_key();
  X509* cert = new_certificate(key, spec.common_name, spec.valid_from_seconds, spec.valid_until_seconds, next_serial());
  X509_set_issuer_name(cert, X509_get_subject_name(keys_->cert));
  add_extension(cert, keys_->cert, NID_basic_constraints, "critical,CA:FALSE");
  add_extension(cert, keys_->cert, NID_ext_key_usage, "serverAuth,clientAuth");
  add_extension(cert, keys_->cert, NID_authority_key_identifier, "keyid");
  if (!spec.subject_alt_names.empty()) add_extension(cert, keys_->cert, NID_subject_alt_name, spec.subject_alt_names);
  require(X509_sign(cert, keys_->key, EVP_sha256()) > 0, "signing a certificate");
  IssuedCertificate out{dir_ + "/" + spec.name + ".pem", dir_ + "/" + spec.name + ".key"};
  write_pem(out.certificate_file, cert);
  write_key(out.key_file, key, spec.key_password);
  X509_free(cert);
  EVP_PKEY_free(key);
  return out;
}

} // namespace tmfd::test
