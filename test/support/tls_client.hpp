#pragma once
// A blocking HTTPS/1.1 client for the TLS tests: one connection, kept alive, with the CA, client
// certificate, expected host name and protocol versions a test asks for.
#include <cstdint>
#include <memory>
#include <string>

#include "http_client.hpp"

namespace tmfd::test {

struct TlsClientOptions {
  std::string ca_file;              // trusted CA; the server's certificate must chain to it
  std::string host_name = "localhost";  // sent as SNI and checked against the certificate
  std::string certificate_file;     // a client certificate (mutual TLS); "" for none
  std::string key_file;
  // 0: OpenSSL's defaults. TLS1_1_VERSION for both: a client of old that offers only TLS 1.1
  // (the client's own security level is lowered so that it really offers it).
  int min_version = 0;
  int max_version = 0;
};

class TlsConnection {
public:
  // Connects to 127.0.0.1:port and completes the handshake; throws std::runtime_error with
  // OpenSSL's reason when it fails.
  TlsConnection(std::uint16_t port, const TlsClientOptions& options);
  ~TlsConnection();
  TlsConnection(const TlsConnection&) = delete;
  TlsConnection& operator=(const TlsConnection&) = delete;

  // Sends a request on this connection (keep-alive) and reads the response; throws on I/O errors.
  HttpResponse request(const std::string& method, const std::string& target, const std::string& body = {},
                       const Headers& headers = {});
  HttpResponse get(const std::string& target, const Headers& headers = {}) { return request("GET", target, {}, headers); }
  // The common name of the certificate the server presented on this connection.
  std::string server_common_name() const;
  // The negotiated protocol, e.g. "TLSv1.3".
  std::string protocol() const;

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

} // namespace tmfd::test
