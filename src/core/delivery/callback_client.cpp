// The HTTP client of hub callbacks: Beast over TCP or TLS, with Asio coroutines. Kept to this one
// translation unit (with the dispatcher) because Beast's templates are slow to compile.
#include "delivery/callback_client.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

namespace tmfd::delivery {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {
constexpr std::size_t kMaxResponseBody = 64 * 1024;  // a callback's answer body is ignored anyway
constexpr std::size_t kMaxResponseHead = 64 * 1024;  // status line, headers and any trailer

std::string describe(const boost::system::error_code& ec) {
  if (ec == beast::error::timeout) return "timed out";
  if (ec == asio::error::connection_refused) return "connection refused";
  if (ec == asio::error::connection_reset || ec == asio::error::eof || ec == bhttp::error::end_of_stream ||
      ec == asio::ssl::error::stream_truncated)
    return "connection closed by the callback";
  return ec.message();
}
} // namespace

struct CallbackClient::Impl {
  Impl(asio::any_io_executor ex, asio::ssl::context& tls, const CallbackPolicy& policy, CallbackUrl url,
       ClientTimeouts timeouts)
      : executor(ex), tls(tls), policy(policy), url(std::move(url)), timeouts(timeouts), resolver(ex) {
    const bool default_port = this->url.port == (this->url.tls ? "443" : "80");
    const bool ipv6 = this->url.host.find(':') != std::string::npos;
    host_header = ipv6 ? "[" + this->url.host + "]" : this->url.host;
    if (!default_port) host_header += ":" + this->url.port;
  }

  beast::tcp_stream& tcp_layer() { return secure ? beast::get_lowest_layer(*secure) : *plain; }

  void reset() {
    if (secure || plain) {
      boost::system::error_code ignored;
      tcp_layer().socket().close(ignored);
    }
    secure.reset();
    plain.reset();
    buffer.clear();
  }

  asio::awaitable<void> connect() {
    auto results = co_await resolver.async_resolve(url.host, url.port, asio::use_awaitable);
    std::vector<tcp::endpoint> allowed;
    for (const auto& r : results)
      if (policy.allows_address(url, r.endpoint().address().to_string())) allowed.push_back(r.endpoint());
    if (allowed.empty())
      throw std::runtime_error("'" + url.host + "' resolves to no address on delivery.allowed_callbacks");
    if (url.tls) {
      secure = std::make_unique<beast::ssl_stream<beast::tcp_stream>>(executor, tls);
      if (!SSL_set_tlsext_host_name(secure->native_handle(), url.host.c_str()))
        throw std::runtime_error("cannot set the TLS server name");
      secure->set_verify_mode(asio::ssl::verify_peer);
      secure->set_verify_callback(asio::ssl::host_name_verification(url.host));
    } else {
      plain = std::make_unique<beast::tcp_stream>(executor);
    }
    tcp_layer().expires_after(timeouts.connect);
    co_await tcp_layer().async_connect(allowed, asio::use_awaitable);
    if (secure) co_await secure->async_handshake(asio::ssl::stream_base::client, asio::use_awaitable);
  }

  template <class Stream>
  asio::awaitable<SendOutcome> exchange(Stream& stream, bhttp::request<bhttp::string_body>& request) {
    co_await bhttp::async_write(stream, request, asio::use_awaitable);
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(kMaxResponseBody);
    co_await bhttp::async_read(stream, buffer, parser, asio::use_awaitable);
    SendOutcome out;
    out.status = static_cast<int>(parser.get().result_int());
    out.delivered = out.status >= 200 && out.status < 300;
    if (!out.delivered) out.error = "callback answered HTTP " + std::to_string(out.status);
    if (!out.delivered || !parser.get().keep_alive()) reset();
    co_return out;
  }

  asio::any_io_executor executor;
  asio::ssl::context& tls;
  const CallbackPolicy& policy;
  CallbackUrl url;
  ClientTimeouts timeouts;
  std::string host_header;
  tcp::resolver resolver;
  std::unique_ptr<beast::tcp_stream> plain;
  std::unique_ptr<beast::ssl_stream<beast::tcp_stream>> secure;
  // A receiver's response head (and a chunked trailer, which Beast buffers whole) must fit:
  // a receiver cannot make tmfd buffer without bound.
  beast::flat_buffer buffer{kMaxResponseHead};
};

CallbackClient::CallbackClient(asio::any_io_executor executor, asio::ssl::context& tls,
                               const CallbackPolicy& policy, CallbackUrl url, ClientTimeouts timeouts)
    : impl_(std::make_unique<Impl>(executor, tls, policy, std::move(url), timeouts)) {}

CallbackClient::~CallbackClient() = default;

void CallbackClient::close() {
  impl_->resolver.cancel();
  impl_->reset();
}

asio::awaitable<SendOutcome> CallbackClient::post(std::string_view body, std::string_view correlation_id) {
  Impl& c = *impl_;
  SendOutcome out;
  try {
    if (!c.plain && !c.secure) co_await c.connect();
    bhttp::request<bhttp::string_body> request{bhttp::verb::post, c.url.target, 11};
    request.set(bhttp::field::host, c.host_header);
    request.set(bhttp::field::user_agent, "tmfd");
    request.set(bhttp::field::content_type, "application/json");
    if (!correlation_id.empty()) request.set("X-Correlation-ID", correlation_id);
    request.keep_alive(true);
    request.body() = std::string(body);
    request.prepare_payload();
    c.tcp_layer().expires_after(c.timeouts.request);
    if (c.secure)
      out = co_await c.exchange(*c.secure, request);
    else
      out = co_await c.exchange(*c.plain, request);
  } catch (const boost::system::system_error& e) {
    out = {false, 0, describe(e.code())};
    c.reset();
  } catch (const std::exception& e) {
    out = {false, 0, e.what()};
    c.reset();
  }
  co_return out;
}

} // namespace tmfd::delivery
