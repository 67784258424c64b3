#include "http_post.hpp"

#include <stdexcept>
#include <vector>

#include <openssl/ssl.h>

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

namespace tmfd::ordering {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;

namespace {

// http(s)://host[:port][/path]: the only forms plans accept (checked at config time).
struct Target {
  bool secure = false;
  std::string host, port, path;
};

Target split(const std::string& url) {
  Target t;
  std::string rest;
  if (url.starts_with("https://")) {
    t.secure = true;
    rest = url.substr(8);
  } else if (url.starts_with("http://")) {
    rest = url.substr(7);
  } else {
    throw std::runtime_error("not an http:// or https:// URL");
  }
  const auto slash = rest.find('/');
  const std::string authority = rest.substr(0, slash);
  t.host = authority;
  t.port = t.secure ? "443" : "80";
  t.path = slash == std::string::npos ? "/" : rest.substr(slash);
  if (const auto colon = authority.rfind(':'); colon != std::string::npos && authority.find(']') == std::string::npos) {
    t.host = authority.substr(0, colon);
    t.port = authority.substr(colon + 1);
  }
  if (t.host.empty()) throw std::runtime_error("no host in the URL");
  return t;
}

bool is_ip_literal(const std::string& host) {
  boost::system::error_code ec;
  asio::ip::make_address(host, ec);
  return !ec;
}

// The request written and the answer read on any stream (plain or TLS), within the stream's
// deadline.
template <class Stream>
HttpAnswer exchange(Stream& stream, const Target& target, const std::string& method, const std::string& body,
                    const std::vector<std::pair<std::string, std::string>>& headers, std::chrono::milliseconds timeout) {
  bhttp::request<bhttp::string_body> req{method == "PUT" ? bhttp::verb::put : bhttp::verb::post, target.path, 11};
  req.set(bhttp::field::host, target.host);
  req.set(bhttp::field::user_agent, "tmfd");
  req.set(bhttp::field::content_type, "application/json");
  req.set(bhttp::field::accept, "application/json");
  for (const auto& [name, value] : headers) req.set(name, value);
  req.body() = body;
  req.prepare_payload();
  beast::error_code ec;
  bhttp::write(stream, req, ec);
  if (ec) throw std::runtime_error("sending to " + target.host + " failed: " + ec.message());

  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(1024 * 1024);
  bhttp::read(stream, buffer, parser, ec);
  if (ec == beast::error::timeout) throw std::runtime_error("no answer within " + std::to_string(timeout.count()) + " ms");
  if (ec) throw std::runtime_error("reading the answer failed: " + ec.message());
  return {static_cast<int>(parser.get().result_int()), parser.get().body()};
}

} // namespace

struct HttpSender::Tls {
  asio::ssl::context context{asio::ssl::context::tls_client};
};

HttpSender::HttpSender(const std::string& ca_file) : tls_(std::make_unique<Tls>()) {
  auto& ctx = tls_->context;
  ctx.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                  asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1);
  ctx.set_verify_mode(asio::ssl::verify_peer);
  boost::system::error_code ec;
  if (ca_file.empty()) ctx.set_default_verify_paths(ec);
  else ctx.load_verify_file(ca_file, ec);
  if (ec) throw std::runtime_error("cannot use '" + ca_file + "': " + ec.message());
}

HttpSender::~HttpSender() = default;

HttpAnswer HttpSender::send_json(const std::string& method, const std::string& url, const std::string& body,
                                 const std::vector<std::pair<std::string, std::string>>& headers,
                                 std::chrono::milliseconds timeout) const {
  const Target target = split(url);
  asio::io_context io;
  beast::error_code ec;
  tcp::resolver resolver(io);
  const auto endpoints = resolver.resolve(target.host, target.port, ec);
  if (ec) throw std::runtime_error("cannot resolve " + target.host + ": " + ec.message());

  if (!target.secure) {
    beast::tcp_stream stream(io);
    stream.expires_after(timeout);
    stream.connect(endpoints, ec);
    if (ec) throw std::runtime_error("cannot connect to " + target.host + ":" + target.port + ": " + ec.message());
    auto answer = exchange(stream, target, method, body, headers, timeout);
    stream.socket().shutdown(tcp::socket::shutdown_both, ec);
    return answer;
  }

  beast::ssl_stream<beast::tcp_stream> stream(io, tls_->context);
  beast::get_lowest_layer(stream).expires_after(timeout);
  // The certificate must name the host of the URL (a name, or an IP address in its IP entries).
  stream.set_verify_callback(asio::ssl::host_name_verification(target.host));
  // SNI, for servers that host several names; it never carries an IP address (RFC 6066).
  if (!is_ip_literal(target.host) && !SSL_set_tlsext_host_name(stream.native_handle(), target.host.c_str()))
    throw std::runtime_error("cannot set the TLS server name " + target.host);
  beast::get_lowest_layer(stream).connect(endpoints, ec);
  if (ec) throw std::runtime_error("cannot connect to " + target.host + ":" + target.port + ": " + ec.message());
  stream.handshake(asio::ssl::stream_base::client, ec);
  if (ec == beast::error::timeout) throw std::runtime_error("no TLS handshake within " + std::to_string(timeout.count()) + " ms");
  if (ec) {
    // The verification's own reason (e.g. "self-signed certificate") says more than the handshake's.
    const long verify = SSL_get_verify_result(stream.native_handle());
    const std::string why = verify != X509_V_OK ? X509_verify_cert_error_string(verify) : ec.message();
    throw std::runtime_error("TLS handshake with " + target.host + ":" + target.port + " failed: " + why);
  }
  auto answer = exchange(stream, target, method, body, headers, timeout);
  // The answer is complete (its length framed it). A TLS shutdown would wait for the server's
  // close_notify, which many servers never send, holding the worker until the deadline: the
  // connection is closed instead.
  beast::get_lowest_layer(stream).socket().shutdown(tcp::socket::shutdown_both, ec);
  return answer;
}

} // namespace tmfd::ordering
