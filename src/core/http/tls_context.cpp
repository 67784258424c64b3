#include "http/tls_context.hpp"

#include <boost/asio/ssl/context.hpp>

#include <openssl/objects.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <stdexcept>

namespace tmfd::http {

namespace {

namespace ssl = boost::asio::ssl;

// TLS 1.2 suites: forward secrecy (ECDHE) and authenticated encryption (GCM, ChaCha20-Poly1305)
// only. TLS 1.3's own suites are all of that kind and keep OpenSSL's defaults.
constexpr const char* tls12_ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

void check(const boost::system::error_code& ec, const std::string& key, const std::string& file) {
  if (ec) throw std::runtime_error("server.tls." + key + ": cannot use '" + file + "': " + ec.message());
}

} // namespace

std::shared_ptr<const ServerTls> make_server_tls(const TlsOptions& o) {
  auto tls = std::make_shared<ServerTls>();
  tls->context = std::make_shared<ssl::context>(ssl::context::tls_server);
  auto& ctx = *tls->context;
  SSL_CTX* native = ctx.native_handle();
  ctx.set_options(ssl::context::default_workarounds | ssl::context::no_compression | ssl::context::single_dh_use);
  SSL_CTX_set_options(native, SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  if (SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION) != 1 ||
      SSL_CTX_set_cipher_list(native, tls12_ciphers) != 1)
    throw std::runtime_error("server.tls: OpenSSL refused the protocol or cipher settings");

  boost::system::error_code ec;
  if (!o.key_password.empty()) {
    ctx.set_password_callback([password = o.key_password](std::size_t, ssl::context::password_purpose) { return password; }, ec);
    check(ec, "key_password", "(password)");
  }
  ctx.use_certificate_chain_file(o.certificate_file, ec);
  check(ec, "certificate_file", o.certificate_file);
  ctx.use_private_key_file(o.key_file, ssl::context::pem, ec);
  // The reason OpenSSL gives for a wrong password is a decoding error: say what it likely is.
  if (ec)
    throw std::runtime_error("server.tls.key_file: cannot use '" + o.key_file + "': " + ec.message() +
                             (o.key_password.empty() ? "" : " (is server.tls.key_password right?)"));
  if (SSL_CTX_check_private_key(native) != 1)
    throw std::runtime_error("server.tls.key_file: '" + o.key_file + "' is not the key of '" + o.certificate_file + "'");

  if (o.client_certificates != ClientCertificates::none) {
    ctx.load_verify_file(o.client_ca_file, ec);
    check(ec, "client_ca_file", o.client_ca_file);
    // Tells clients which CAs are accepted, so that one holding several certificates picks right.
    if (STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(o.client_ca_file.c_str()))
      SSL_CTX_set_client_CA_list(native, names);
    auto mode = ssl::verify_peer;
    if (o.client_certificates == ClientCertificates::require) mode |= ssl::verify_fail_if_no_peer_cert;
    ctx.set_verify_mode(mode);
  } else {
    ctx.set_verify_mode(ssl::verify_none);
  }
  tls->subject_nid = OBJ_txt2nid(o.client_subject_field.c_str());
  if (tls->subject_nid == NID_undef)
    throw std::runtime_error("server.tls.client_subject_field: '" + o.client_subject_field +
                             "' is not a certificate subject attribute OpenSSL knows (e.g. CN, emailAddress, UID)");
  return tls;
}

std::string peer_subject(SSL* ssl, int subject_nid) {
  // Only a certificate that passed verification names anyone (with `optional`, OpenSSL lets a
  // client whose certificate failed go on; SSL_get_verify_result says so).
  X509* cert = SSL_get0_peer_certificate(ssl);
  if (!cert || SSL_get_verify_result(ssl) != X509_V_OK) return {};
  X509_NAME* name = X509_get_subject_name(cert);
  const int at = X509_NAME_get_index_by_NID(name, subject_nid, -1);
  if (at < 0) return {};
  ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, at));
  unsigned char* utf8 = nullptr;
  const int length = ASN1_STRING_to_UTF8(&utf8, data);
  if (length < 0) return {};
  std::string out(reinterpret_cast<const char*>(utf8), static_cast<std::size_t>(length));
  OPENSSL_free(utf8);
  return out;
}

} // namespace tmfd::http
