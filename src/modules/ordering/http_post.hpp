#pragma once
// One blocking HTTP/1.1 POST (or PUT) of a JSON body to an http:// URL, with a deadline: what the
// `http` executor's worker threads send. The one translation unit of the module with Beast.
#include <chrono>
#include <string>
#include <utility>
#include <vector>

namespace tmfd::ordering {

struct HttpAnswer {
  int status = 0;
  std::string body;
};

// Throws std::runtime_error saying what failed (bad URL, connection refused, timed out, an answer
// over 1 MiB). `headers` are added as they are.
HttpAnswer http_send_json(const std::string& method, const std::string& url, const std::string& body,
                          const std::vector<std::pair<std::string, std::string>>& headers,
                          std::chrono::milliseconds timeout);

} // namespace tmfd::ordering
