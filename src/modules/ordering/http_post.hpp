#pragma once
// One blocking HTTP/1.1 POST (or PUT) of a JSON body to an http:// or https:// URL, with a
// deadline: what the `http` executor's worker threads send. The one translation unit of the
// module with Beast and OpenSSL.
#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace tmfd::ordering {

struct HttpAnswer {
  int status = 0;
  std::string body;
};

class HttpSender {
public:
  // `ca_file`: PEM certificates that https:// endpoints must chain to; empty: the system's CA
  // store. Throws std::runtime_error when the file cannot be used. Every https:// endpoint's
  // certificate is verified, and must name the URL's host.
  explicit HttpSender(const std::string& ca_file);
  ~HttpSender();
  HttpSender(const HttpSender&) = delete;
  HttpSender& operator=(const HttpSender&) = delete;

  // Safe to call from several threads at once. Throws std::runtime_error saying what failed (bad
  // URL, connection refused, certificate not trusted, timed out, an answer over 1 MiB).
  // `headers` are added as they are.
  HttpAnswer send_json(const std::string& method, const std::string& url, const std::string& body,
                       const std::vector<std::pair<std::string, std::string>>& headers,
                       std::chrono::milliseconds timeout) const;

private:
  struct Tls;
  std::unique_ptr<Tls> tls_;
};

} // namespace tmfd::ordering
