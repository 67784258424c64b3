#include "document_server.hpp"

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <thread>

namespace tmfd::test {

namespace asio = boost::asio;
namespace http = boost::beast::http;

struct DocumentServer::Impl {
  asio::io_context ioc;
  asio::ip::tcp::acceptor acceptor{ioc, {asio::ip::make_address("127.0.0.1"), 0}};
  mutable std::mutex mutex;
  std::map<std::string, std::string> documents;
  std::map<std::string, std::vector<std::chrono::steady_clock::time_point>> served;
  std::thread thread;
  std::unique_ptr<asio::ssl::context> tls;

  void accept() {
    acceptor.async_accept([this](boost::system::error_code ec, asio::ip::tcp::socket socket) {
      if (ec) return;
      // Blocking: the tests ask one thing at a time.
      if (!tls) {
        answer(socket);
      } else {
        asio::ssl::stream<asio::ip::tcp::socket&> stream(socket, *tls);
        boost::system::error_code handshake;
        stream.handshake(asio::ssl::stream_base::server, handshake);
        if (!handshake) {
          answer(stream);
          stream.shutdown(handshake);
        }
      }
      accept();
    });
  }

  template <class Stream>
  void answer(Stream& socket) {
    boost::system::error_code ec;
    boost::beast::flat_buffer buffer;
    http::request<http::string_body> req;
    http::read(socket, buffer, req, ec);
    if (ec) return;
    http::response<http::string_body> res{http::status::not_found, 11};
    {
      std::lock_guard lock(mutex);
      auto it = documents.find(std::string(req.target()));
      if (it != documents.end()) {
        res.result(http::status::ok);
        res.body() = it->second;
        served[it->first].push_back(std::chrono::steady_clock::now());
      }
    }
    res.set(http::field::content_type, "application/json");
    res.keep_alive(false);
    res.prepare_payload();
    http::write(socket, res, ec);
  }
};

DocumentServer::DocumentServer() : impl_(std::make_unique<Impl>()) {
  impl_->accept();
  impl_->thread = std::thread([this] { impl_->ioc.run(); });
}

DocumentServer::DocumentServer(const std::string& certificate_file, const std::string& key_file)
    : impl_(std::make_unique<Impl>()) {
  impl_->tls = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_server);
  impl_->tls->use_certificate_chain_file(certificate_file);
  impl_->tls->use_private_key_file(key_file, asio::ssl::context::pem);
  impl_->accept();
  impl_->thread = std::thread([this] { impl_->ioc.run(); });
}

DocumentServer::~DocumentServer() {
  impl_->ioc.stop();
  impl_->thread.join();
}

std::uint16_t DocumentServer::port() const { return impl_->acceptor.local_endpoint().port(); }

std::string DocumentServer::url(const std::string& path) const {
  return (impl_->tls ? "https://127.0.0.1:" : "http://127.0.0.1:") + std::to_string(port()) + path;
}

void DocumentServer::set(const std::string& path, std::string body) {
  std::lock_guard lock(impl_->mutex);
  impl_->documents[path] = std::move(body);
}

int DocumentServer::served(const std::string& path) const {
  std::lock_guard lock(impl_->mutex);
  auto it = impl_->served.find(path);
  return it == impl_->served.end() ? 0 : static_cast<int>(it->second.size());
}

std::vector<std::chrono::steady_clock::time_point> DocumentServer::served_at(const std::string& path) const {
  std::lock_guard lock(impl_->mutex);
  auto it = impl_->served.find(path);
  return it == impl_->served.end() ? std::vector<std::chrono::steady_clock::time_point>{} : it->second;
}

} // namespace tmfd::test
