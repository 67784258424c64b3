#pragma once
// The OpenSSL server context of a TLS listener, built from its options: TLS 1.2 and later only,
// ECDHE key exchange with AEAD ciphers, client certificates as configured. Kept apart from the
// HTTP transport so that --check-config can build one (to report a bad file) without Beast.
#include <memory>
#include <string>

#include "http/tls_options.hpp"

namespace boost::asio::ssl {
class context;
}

typedef struct ssl_st SSL;

namespace tmfd::http {

// A context and what the sessions read from it. Sessions hold the shared_ptr for their lifetime,
// so that a reload (a new ServerTls) never frees a context a connection still uses.
struct ServerTls {
  std::shared_ptr<boost::asio::ssl::context> context;
  int subject_nid = 0;  // the client_subject_field as an OpenSSL NID
};

// Throws std::runtime_error naming the file and OpenSSL's reason (never the key password).
std::shared_ptr<const ServerTls> make_server_tls(const TlsOptions& options);

// The configured subject field of the verified client certificate of `ssl`, or "" when the
// client sent none (or it lacks the field).
std::string peer_subject(SSL* ssl, int subject_nid);

} // namespace tmfd::http
