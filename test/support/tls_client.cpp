// The TLS tests' client: Asio's SSL stream and Beast's HTTP, in this one test translation unit.
#include "tls_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <stdexcept>

#include <openssl/ssl.h>
#include <openssl/x509.h>

namespace tmfd::test {

namespace net = boost::asio;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;

struct TlsConnection::Impl {
  net::io_context ioc;
  net::ssl::context ctx{net::ssl::context::tls_client};
  std::unique_ptr<net::ssl::stream<tcp::socket>> stream;
  boost::beast::flat_buffer buffer;
};

TlsConnection::TlsConnection(std::uint16_t port, const TlsClientOptions& o) : impl_(std::make_unique<Impl>()) {
  auto& ctx = impl_->ctx;
  if (!o.ca_file.empty()) ctx.load_verify_file(o.ca_file);
  ctx.set_verify_mode(net::ssl::verify_peer);
  if (!o.certificate_file.empty()) {
    ctx.use_certificate_chain_file(o.certificate_file);
    ctx.use_private_key_file(o.key_file, net::ssl::context::pem);
  }
  if (o.max_version != 0 && o.max_version < TLS1_2_VERSION) {
    SSL_CTX_set_security_level(ctx.native_handle(), 0);
    SSL_CTX_set_cipher_list(ctx.native_handle(), "DEFAULT:@SECLEVEL=0");
  }
  if (o.min_version) SSL_CTX_set_min_proto_version(ctx.native_handle(), o.min_version);
  if (o.max_version) SSL_CTX_set_max_proto_version(ctx.native_handle(), o.max_version);
  impl_->stream = std::make_unique<net::ssl::stream<tcp::socket>>(impl_->ioc, ctx);
  auto& stream = *impl_->stream;
  SSL_set_tlsext_host_name(stream.native_handle(), o.host_name.c_str());
  stream.set_verify_callback(net::ssl::host_name_verification(o.host_name));
  stream.next_layer().connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
  boost::system::error_code ec;
  stream.handshake(net::ssl::stream_base::client, ec);
  if (ec) throw std::runtime_error("TLS handshake failed: " + ec.message());
}

TlsConnection::~TlsConnection() {
  boost::system::error_code ignored;
  impl_->stream->next_layer().close(ignored);
}

HttpResponse TlsConnection::request(const std::string& method, const std::string& target, const std::string& body,
                                    const Headers& headers) {
  bhttp::request<bhttp::string_body> req(bhttp::string_to_verb(method), target, 11);
  req.set(bhttp::field::host, "localhost");
  for (const auto& [k, v] : headers) req.set(k, v);
  req.body() = body;
  req.prepare_payload();
  req.keep_alive(true);
  bhttp::write(*impl_->stream, req);
  bhttp::response<bhttp::string_body> res;
  bhttp::read(*impl_->stream, impl_->buffer, res);
  HttpResponse out;
  out.status = res.result_int();
  out.body = res.body();
  for (const auto& f : res) {
    std::string name(f.name_string());
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
    out.headers[name] = std::string(f.value());
  }
  return out;
}

std::string TlsConnection::server_common_name() const {
  X509* cert = SSL_get0_peer_certificate(impl_->stream->native_handle());
  if (!cert) return {};
  char name[256] = {};
  X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, name, sizeof name);
  return name;
}

std::string TlsConnection::protocol() const { return SSL_get_version(impl_->stream->native_handle()); }

} // namespace tmfd::test
