// The test client's only Beast translation unit.
#include "http_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <optional>

namespace tmfd::test {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = net::ip::tcp;

boost::json::value HttpResponse::json() const { return boost::json::parse(body); }

struct HttpClient::Impl {
  net::io_context ioc;
  std::string host;
  std::uint16_t port;
  std::optional<beast::tcp_stream> stream;
  beast::flat_buffer buffer;

  void connect() {
    stream.emplace(ioc);
    tcp::resolver resolver(ioc);
    stream->connect(resolver.resolve(host, std::to_string(port)));
    stream->socket().set_option(tcp::no_delay(true));
    buffer.clear();
  }

  HttpResponse read_response() {
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    stream->expires_after(std::chrono::seconds(30));
    bhttp::read(*stream, buffer, parser);
    auto& res = parser.get();
    HttpResponse out;
    out.status = res.result_int();
    out.body = res.body();
    for (const auto& f : res) {
      std::string name(f.name_string());
      std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
      out.headers[name] = std::string(f.value());
    }
    if (!res.keep_alive()) stream.reset();
    return out;
  }
};

HttpClient::HttpClient(std::uint16_t port, std::string host) : impl_(new Impl) {
  impl_->host = std::move(host);
  impl_->port = port;
}

HttpClient::~HttpClient() { delete impl_; }

HttpResponse HttpClient::request(const std::string& method, const std::string& target, const std::string& body,
                                 const Headers& headers) {
  bhttp::request<bhttp::string_body> req(bhttp::string_to_verb(method), target, 11);
  req.set(bhttp::field::host, impl_->host);
  for (const auto& [k, v] : headers) req.set(k, v);
  req.body() = body;
  req.prepare_payload();
  req.keep_alive(true);
  // One retry on a fresh connection: the server may have closed an idle keep-alive connection.
  for (int attempt = 0;; ++attempt) {
    try {
      if (!impl_->stream) impl_->connect();
      impl_->stream->expires_after(std::chrono::seconds(30));
      bhttp::write(*impl_->stream, req);
      return impl_->read_response();
    } catch (const boost::system::system_error&) {
      impl_->stream.reset();
      if (attempt == 1) throw;
    }
  }
}

HttpResponse HttpClient::raw(const std::string& bytes) {
  impl_->connect();
  // The server may answer and close before it has read everything (a body over the limit is
  // refused on its Content-Length): a failed write still leaves its answer to read.
  boost::system::error_code write_error;
  net::write(impl_->stream->socket(), net::buffer(bytes), write_error);
  try {
    auto r = impl_->read_response();
    impl_->stream.reset();
    return r;
  } catch (const boost::system::system_error&) {
    impl_->stream.reset();
    return {};
  }
}

} // namespace tmfd::test
