#pragma once
// A small blocking HTTP/1.1 client for the integration tests: real sockets, keep-alive, and a raw
// mode for requests a well-behaved client would never send.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <boost/json.hpp>

namespace tmfd::test {

// Request headers as name/value pairs, in the order they are sent.
using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpResponse {
  int status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // names lower-cased

  std::string header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::string() : it->second;
  }
  boost::json::value json() const;  // throws if the body is not JSON
};

class HttpClient {
public:
  explicit HttpClient(std::uint16_t port, std::string host = "127.0.0.1");
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  HttpResponse request(const std::string& method, const std::string& target, const std::string& body = {},
                       const Headers& headers = {});
  HttpResponse get(const std::string& target) { return request("GET", target); }
  HttpResponse post_json(const std::string& target, const boost::json::value& body) {
    return request("POST", target, boost::json::serialize(body), {{"Content-Type", "application/json"}});
  }
  HttpResponse patch_json(const std::string& target, const boost::json::value& body,
                          const std::string& content_type = "application/merge-patch+json") {
    return request("PATCH", target, boost::json::serialize(body), {{"Content-Type", content_type}});
  }
  // Sends bytes as they are on a new connection and returns the parsed response, or status 0
  // when the server closed the connection without answering.
  HttpResponse raw(const std::string& bytes);

private:
  struct Impl;
  Impl* impl_;
};

} // namespace tmfd::test
