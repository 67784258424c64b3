#include "tls_endpoint.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

namespace tmfd::test {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

struct TlsEndpoint::Io {
  asio::io_context io;
  asio::ssl::context tls{asio::ssl::context::tls_server};
  tcp::acceptor acceptor{io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)};
  std::uint16_t port = acceptor.local_endpoint().port();
};

TlsEndpoint::TlsEndpoint(const std::string& certificate_file, const std::string& key_file, int status, std::string body)
    : io_(std::make_unique<Io>()), status_(status), body_(std::move(body)) {
  io_->tls.use_certificate_chain_file(certificate_file);
  io_->tls.use_private_key_file(key_file, asio::ssl::context::pem);
  thread_ = std::thread([this] { run(); });
}

TlsEndpoint::~TlsEndpoint() {
  stopping_ = true;
  boost::system::error_code ignored;
  io_->acceptor.close(ignored);
  tcp::socket poke(io_->io);  // unblocks accept()
  poke.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), io_->port), ignored);
  thread_.join();
}

std::uint16_t TlsEndpoint::port() const { return io_->port; }

std::string TlsEndpoint::url(const std::string& host, const std::string& path) const {
  return "https://" + host + ":" + std::to_string(io_->port) + path;
}

int TlsEndpoint::received() const {
  std::lock_guard lock(mutex_);
  return static_cast<int>(targets_.size());
}

std::vector<std::string> TlsEndpoint::targets() const {
  std::lock_guard lock(mutex_);
  return targets_;
}

void TlsEndpoint::run() {
  while (!stopping_) {
    tcp::socket socket(io_->io);
    boost::system::error_code ec;
    io_->acceptor.accept(socket, ec);
    if (ec || stopping_) return;
    asio::ssl::stream<tcp::socket> stream(std::move(socket), io_->tls);
    stream.handshake(asio::ssl::stream_base::server, ec);
    if (ec) {
      ++refused_;
      continue;
    }
    boost::beast::flat_buffer buffer;
    for (;;) {  // keep-alive: the requests of one connection, one after the other
      bhttp::request<bhttp::string_body> request;
      bhttp::read(stream, buffer, request, ec);
      if (ec) break;
      {
        std::lock_guard lock(mutex_);
        targets_.emplace_back(request.target());
      }
      bhttp::response<bhttp::string_body> response{static_cast<bhttp::status>(status_), 11};
      if (!body_.empty()) response.set(bhttp::field::content_type, "application/json");
      response.body() = body_;
      response.keep_alive(request.keep_alive());
      response.prepare_payload();
      bhttp::write(stream, response, ec);
      if (ec || !request.keep_alive()) break;
    }
  }
}

} // namespace tmfd::test
