#pragma once
// The Beast HTTP/1.1 transport: accepts connections (plain TCP or TLS), reads requests with
// limits and timeouts, hands each parsed request to the front (middleware + router) and writes
// the response back on the connection's own executor. Only this file's .cpp includes Beast.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <tmfd/http.hpp>

#include "http/tls_options.hpp"

namespace boost::asio {
class io_context;
}

namespace tmfd::observability {
class Metrics;
}

namespace tmfd::http {

struct ServerLimits {
  std::size_t max_connections = 10000;
  std::uint64_t max_body_bytes = 1 << 20;
  std::uint32_t max_header_bytes = 16384;
  // Deadlines are totals, not per read: a client dribbling bytes gains nothing.
  std::chrono::milliseconds header_timeout{10000};  // a request head, from its first byte; a TLS handshake
  std::chrono::milliseconds read_timeout{30000};    // a request body, after its head; writing a response
  std::chrono::milliseconds idle_timeout{60000};    // waiting for the next request on a connection
};

// Receives every parsed request. `reply` may be called later, from any thread.
using Dispatch = std::function<void(Request&, Reply)>;
// Builds the response for a request the transport refuses before dispatch (413, 431, 400).
using Refusal = std::function<Response(int status, const std::string& message)>;

class Server {
public:
  Server(boost::asio::io_context& ioc, ServerLimits limits, Dispatch dispatch, observability::Metrics& metrics);
  ~Server();

  // Binds and starts accepting plain HTTP; returns the bound port (useful with port 0).
  std::uint16_t listen(const std::string& host, std::uint16_t port);
  // The same for HTTPS. Throws std::runtime_error when the certificate, key or CA files cannot be
  // used (the message names the file, never the key password).
  std::uint16_t listen_tls(const std::string& host, std::uint16_t port, const TlsOptions& tls);
  // Reads every TLS listener's files again: new handshakes use the new certificate, connections
  // already open keep the one they started with. A listener whose files fail keeps its old
  // certificate (the failure is logged). False when one failed.
  bool reload_tls();
  // Stops accepting on every listener; open connections finish their current request and close.
  void stop_accepting();
  // Requests read but not yet answered.
  std::int64_t in_flight() const;

  struct Impl;  // public so that the connection sessions in server.cpp can hold it

private:
  std::shared_ptr<Impl> impl_;
};

} // namespace tmfd::http
