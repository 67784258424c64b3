#pragma once
// An HTTPS endpoint in the test process, for tests of tmfd's outgoing TLS (hub callbacks, http
// steps): it accepts connections one at a time on 127.0.0.1, answers every request with one
// status and body, keeps the target of each request, and counts the handshakes that failed (the
// client refused its certificate).
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace tmfd::test {

class TlsEndpoint {
public:
  // `certificate_file` (PEM chain) and `key_file` (unencrypted PEM) are what it presents.
  TlsEndpoint(const std::string& certificate_file, const std::string& key_file, int status = 204,
              std::string body = {});
  ~TlsEndpoint();
  TlsEndpoint(const TlsEndpoint&) = delete;
  TlsEndpoint& operator=(const TlsEndpoint&) = delete;

  std::uint16_t port() const;
  // https://HOST:PORT/PATH
  std::string url(const std::string& host, const std::string& path) const;
  // Requests read so far, and their targets in arrival order.
  int received() const;
  std::vector<std::string> targets() const;
  int handshakes_refused() const { return refused_.load(); }

private:
  void run();

  struct Io;
  std::unique_ptr<Io> io_;
  int status_;
  std::string body_;
  mutable std::mutex mutex_;
  std::vector<std::string> targets_;
  std::atomic<int> refused_{0};
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

} // namespace tmfd::test
