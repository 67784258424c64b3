#pragma once
// A tiny HTTP/1.1 server in the test process that answers GET requests with documents set at run
// time (e.g. an identity provider's discovery document and key set), one request per connection,
// over plain HTTP or TLS, and counts what it served.
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace tmfd::test {

class DocumentServer {
public:
  DocumentServer();  // listens on 127.0.0.1, a free port, at once
  // The same over TLS with this certificate chain and key (PEM files): URLs are https://.
  DocumentServer(const std::string& certificate_file, const std::string& key_file);
  ~DocumentServer();
  DocumentServer(const DocumentServer&) = delete;
  DocumentServer& operator=(const DocumentServer&) = delete;

  std::uint16_t port() const;
  std::string url(const std::string& path) const;  // http://127.0.0.1:PORT/path
  // Serves `body` (application/json) at `path`; unknown paths answer 404.
  void set(const std::string& path, std::string body);
  // How many GETs of `path` were answered.
  int served(const std::string& path) const;
  // When each of them was answered.
  std::vector<std::chrono::steady_clock::time_point> served_at(const std::string& path) const;

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

} // namespace tmfd::test
