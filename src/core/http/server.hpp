#pragma once
// The Beast HTTP/1.1 transport: accepts connections, reads requests with limits and timeouts,
// hands each parsed request to the front (middleware + router) and writes the response back on
// the connection's own executor. Only this file's .cpp includes Beast.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <tmfd/http.hpp>

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
  std::chrono::milliseconds read_timeout{30000};
  std::chrono::milliseconds idle_timeout{60000};
};

// Receives every parsed request. `reply` may be called later, from any thread.
using Dispatch = std::function<void(Request&, Reply)>;
// Builds the response for a request the transport refuses before dispatch (413, 431, 400).
using Refusal = std::function<Response(int status, const std::string& message)>;

class Server {
public:
  Server(boost::asio::io_context& ioc, ServerLimits limits, Dispatch dispatch, observability::Metrics& metrics);
  ~Server();

  // Binds and starts accepting; returns the bound port (useful with port 0).
  std::uint16_t listen(const std::string& host, std::uint16_t port);
  // Stops accepting; open connections finish their current request and close.
  void stop_accepting();
  // Requests read but not yet answered.
  std::int64_t in_flight() const;

  struct Impl;  // public so that the connection sessions in server.cpp can hold it

private:
  std::shared_ptr<Impl> impl_;
};

} // namespace tmfd::http
