#include "http_post.hpp"

#include <stdexcept>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace tmfd::ordering {

namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = boost::asio::ip::tcp;

namespace {

// http://host[:port][/path]: the only form plans accept (checked at config time).
struct Target {
  std::string host, port, path;
};

Target split(const std::string& url) {
  constexpr std::string_view scheme = "http://";
  if (url.compare(0, scheme.size(), scheme) != 0) throw std::runtime_error("not an http:// URL");
  const std::string rest = url.substr(scheme.size());
  const auto slash = rest.find('/');
  const std::string authority = rest.substr(0, slash);
  Target t{authority, "80", slash == std::string::npos ? "/" : rest.substr(slash)};
  if (const auto colon = authority.rfind(':'); colon != std::string::npos && authority.find(']') == std::string::npos) {
    t.host = authority.substr(0, colon);
    t.port = authority.substr(colon + 1);
  }
  if (t.host.empty()) throw std::runtime_error("no host in the URL");
  return t;
}

} // namespace

HttpAnswer http_send_json(const std::string& method, const std::string& url, const std::string& body,
                          const std::vector<std::pair<std::string, std::string>>& headers,
                          std::chrono::milliseconds timeout) {
  const Target target = split(url);
  boost::asio::io_context io;
  beast::tcp_stream stream(io);
  beast::error_code ec;
  stream.expires_after(timeout);
  tcp::resolver resolver(io);
  const auto endpoints = resolver.resolve(target.host, target.port, ec);
  if (ec) throw std::runtime_error("cannot resolve " + target.host + ": " + ec.message());
  stream.connect(endpoints, ec);
  if (ec) throw std::runtime_error("cannot connect to " + target.host + ":" + target.port + ": " + ec.message());

  bhttp::request<bhttp::string_body> req{method == "PUT" ? bhttp::verb::put : bhttp::verb::post, target.path, 11};
  req.set(bhttp::field::host, target.host);
  req.set(bhttp::field::user_agent, "tmfd");
  req.set(bhttp::field::content_type, "application/json");
  req.set(bhttp::field::accept, "application/json");
  for (const auto& [name, value] : headers) req.set(name, value);
  req.body() = body;
  req.prepare_payload();
  bhttp::write(stream, req, ec);
  if (ec) throw std::runtime_error("sending to " + target.host + " failed: " + ec.message());

  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(1024 * 1024);
  bhttp::read(stream, buffer, parser, ec);
  if (ec == beast::error::timeout) throw std::runtime_error("no answer within " + std::to_string(timeout.count()) + " ms");
  if (ec) throw std::runtime_error("reading the answer failed: " + ec.message());
  stream.socket().shutdown(tcp::socket::shutdown_both, ec);
  return {static_cast<int>(parser.get().result_int()), parser.get().body()};
}

} // namespace tmfd::ordering
