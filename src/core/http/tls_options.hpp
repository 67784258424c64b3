#pragma once
// What a TLS listener is configured with (server.tls in tmfd.yaml). A plain struct: the settings
// include it without pulling in Asio or OpenSSL.
#include <string>

namespace tmfd::http {

enum class ClientCertificates {
  none,      // no certificate asked for
  optional,  // asked for; verified against client_ca_file when sent; a client without one is served
  require,   // a client without a certificate valid for client_ca_file fails the handshake
};

struct TlsOptions {
  std::string certificate_file;  // PEM: the server certificate first, then its intermediates
  std::string key_file;          // PEM private key
  std::string key_password;      // for an encrypted key_file; secret: never logged
  ClientCertificates client_certificates = ClientCertificates::none;
  std::string client_ca_file;    // PEM CA bundle client certificates must chain to
  // The subject attribute of a client certificate that becomes the request's principal
  // (an OpenSSL short or long name: CN, emailAddress, UID, serialNumber, ...).
  std::string client_subject_field = "CN";
};

} // namespace tmfd::http
