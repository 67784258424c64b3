#include "http_fetch.hpp"

#include <openssl/ssl.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/version.hpp>
#include <stdexcept>

namespace tmfd::security {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

namespace {

struct Url {
  bool tls = false;
  std::string host;
  std::string port;
  std::string target;
};

Url parse_url(const std::string& url) {
  Url u;
  std::string rest;
  if (url.rfind("https://", 0) == 0) {
    u.tls = true;
    rest = url.substr(8);
  } else if (url.rfind("http://", 0) == 0) {
    rest = url.substr(7);
  } else {
    throw std::runtime_error("'" + url + "' is not an http:// or https:// URL");
  }
  const auto slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  u.target = slash == std::string::npos ? "/" : rest.substr(slash);
  // [v6]:port, host:port or host
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string::npos) throw std::runtime_error("bad host in '" + url + "'");
    u.host = authority.substr(1, close - 1);
    if (close + 1 < authority.size() && authority[close + 1] == ':') u.port = authority.substr(close + 2);
  } else {
    const auto colon = authority.rfind(':');
    u.host = authority.substr(0, colon);
    if (colon != std::string::npos) u.port = authority.substr(colon + 1);
  }
  if (u.host.empty()) throw std::runtime_error("no host in '" + url + "'");
  if (u.port.empty()) u.port = u.tls ? "443" : "80";
  return u;
}

template <class Stream>
std::string exchange(Stream& stream, const Url& u, const FetchOptions& options, const std::string& url) {
  http::request<http::empty_body> req{http::verb::get, u.target, 11};
  req.set(http::field::host, u.host);
  req.set(http::field::user_agent, "tmfd");
  req.set(http::field::accept, "application/json");
  http::write(stream, req);
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(options.max_body);
  http::read(stream, buffer, parser);
  const auto& res = parser.get();
  if (res.result_int() != 200)
    throw std::runtime_error(url + " answered " + std::to_string(res.result_int()));
  return res.body();
}

} // namespace

std::string http_get(const std::string& url, const FetchOptions& options) {
  const Url u = parse_url(url);
  asio::io_context ioc;
  asio::ip::tcp::resolver resolver(ioc);
  try {
    auto endpoints = resolver.resolve(u.host, u.port);
    if (!u.tls) {
      beast::tcp_stream stream(ioc);
      stream.expires_after(options.timeout);
      stream.connect(endpoints);
      return exchange(stream, u, options, url);
    }
    asio::ssl::context ctx(asio::ssl::context::tls_client);
    ctx.set_options(asio::ssl::context::no_sslv2 | asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                    asio::ssl::context::no_tlsv1_1);
    if (options.ca_file.empty()) ctx.set_default_verify_paths();
    else ctx.load_verify_file(options.ca_file);
    ctx.set_verify_mode(asio::ssl::verify_peer);
    beast::ssl_stream<beast::tcp_stream> stream(ioc, ctx);
    if (!SSL_set_tlsext_host_name(stream.native_handle(), u.host.c_str()))
      throw std::runtime_error("cannot set the TLS server name");
    stream.set_verify_callback(asio::ssl::host_name_verification(u.host));
    beast::get_lowest_layer(stream).expires_after(options.timeout);
    beast::get_lowest_layer(stream).connect(endpoints);
    stream.handshake(asio::ssl::stream_base::client);
    return exchange(stream, u, options, url);
  } catch (const boost::system::system_error& e) {
    throw std::runtime_error("GET " + url + ": " + e.code().message());
  }
}

} // namespace tmfd::security
