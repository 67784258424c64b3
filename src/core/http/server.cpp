// The one translation unit that instantiates Beast's HTTP machinery (slow to compile: keep it
// alone). Sessions follow the Beast async pattern: one chain of operations per connection, so no
// strand is needed; replies computed on other threads are posted back to the connection. The
// session is a template on its stream: plain TCP, or TLS over it. The plain one is compiled
// without any TLS branch, so HTTPS costs the plain path nothing.
#include "http/server.hpp"

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <array>
#include <mutex>
#include <type_traits>
#include <vector>

#include <tmfd/error.hpp>
#include <tmfd/log.hpp>

#include "http/response_head.hpp"
#include "http/tls_context.hpp"
#include "observability/metrics.hpp"

namespace tmfd::http {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;

namespace {

Method method_of(bhttp::verb v) {
  switch (v) {
  case bhttp::verb::get: return Method::Get;
  case bhttp::verb::post: return Method::Post;
  case bhttp::verb::patch: return Method::Patch;
  case bhttp::verb::put: return Method::Put;
  case bhttp::verb::delete_: return Method::Delete;
  case bhttp::verb::head: return Method::Head;
  case bhttp::verb::options: return Method::Options;
  default: return Method::Other;
  }
}

// A request target is sent as visible ASCII (RFC 9112 3.2, RFC 3986): other bytes must be
// percent-encoded. Raw ones would end up in error bodies and log lines that must stay valid
// UTF-8, so they are refused rather than echoed.
bool visible_ascii(std::string_view s) noexcept {
  for (unsigned char c : s)
    if (c < 0x21 || c > 0x7e) return false;
  return !s.empty();
}

std::string_view trimmed(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Why a request's framing cannot be trusted, or empty when it can. Framing that two parties
// could read differently (request smuggling) or that Beast would read until the peer closes
// (a transfer coding other than chunked) is refused before any body byte is read.
struct FramingProblem {
  int status = 0;
  const char* code = "";
  const char* reason = "";
  std::string message;
};

FramingProblem framing_problem(const bhttp::request<bhttp::string_body>& req) {
  const auto te_range = req.equal_range(bhttp::field::transfer_encoding);
  const auto te_count = std::distance(te_range.first, te_range.second);
  const auto cl_range = req.equal_range(bhttp::field::content_length);
  const auto cl_count = std::distance(cl_range.first, cl_range.second);
  if (te_count > 0 && cl_count > 0)
    return {400, "BAD_REQUEST", "Bad request", "a request must not carry both Transfer-Encoding and Content-Length"};
  if (te_count > 1)
    return {400, "BAD_REQUEST", "Bad request", "Transfer-Encoding must be sent once"};
  if (te_count == 1) {
    auto value = te_range.first->value();
    if (!beast::iequals(trimmed(std::string_view(value.data(), value.size())), "chunked"))
      return {501, "NOT_IMPLEMENTED", "Not implemented",
              "the only transfer coding accepted is 'chunked' (alone)"};
  }
  if (cl_count > 1)
    return {400, "BAD_REQUEST", "Bad request", "Content-Length must be sent once"};
  if (cl_count == 1) {
    auto value = trimmed(std::string_view(cl_range.first->value().data(), cl_range.first->value().size()));
    bool digits = !value.empty();
    for (char c : value) digits = digits && c >= '0' && c <= '9';
    if (!digits) return {400, "BAD_REQUEST", "Bad request", "Content-Length must be one decimal number"};
  }
  return {};
}

} // namespace

// One bound address: plain, or TLS with the context new handshakes use (replaced on reload).
struct Listener {
  explicit Listener(net::io_context& ioc) : acceptor(net::make_strand(ioc)) {}
  tcp::acceptor acceptor;
  std::uint16_t port = 0;
  std::optional<TlsOptions> tls_options;  // none: plain HTTP

  std::shared_ptr<const ServerTls> tls() const {
    std::lock_guard lock(tls_mutex);
    return tls_;
  }
  void set_tls(std::shared_ptr<const ServerTls> t) {
    std::lock_guard lock(tls_mutex);
    tls_ = std::move(t);
  }

private:
  mutable std::mutex tls_mutex;
  std::shared_ptr<const ServerTls> tls_;
};

struct Server::Impl : std::enable_shared_from_this<Server::Impl> {
  Impl(net::io_context& ioc, ServerLimits l, Dispatch d, observability::Metrics& m)
      : ioc(ioc), limits(l), dispatch(std::move(d)), metrics(m) {}

  net::io_context& ioc;
  std::vector<std::shared_ptr<Listener>> listeners;
  ServerLimits limits;
  Dispatch dispatch;
  observability::Metrics& metrics;
  std::atomic<std::int64_t> in_flight{0};
  std::atomic<bool> draining{false};

  std::uint16_t bind(const std::shared_ptr<Listener>& listener, const std::string& host, std::uint16_t port);
  void accept(std::shared_ptr<Listener> listener);
};

namespace {

using TlsStream = beast::ssl_stream<beast::tcp_stream>;

template <class Stream>
class Session : public std::enable_shared_from_this<Session<Stream>> {
  static constexpr bool is_tls = std::is_same_v<Stream, TlsStream>;

public:
  Session(tcp::socket&& socket, std::shared_ptr<Server::Impl> server)
    requires(!is_tls)
      : remote_(remote_address_of(socket)), stream_(std::move(socket)), server_(std::move(server)) {
    server_->metrics.connections_active.fetch_add(1, std::memory_order_relaxed);
  }
  Session(tcp::socket&& socket, std::shared_ptr<Server::Impl> server, std::shared_ptr<const ServerTls> tls)
    requires(is_tls)
      : remote_(remote_address_of(socket)), tls_(std::move(tls)), stream_(std::move(socket), *tls_->context),
        server_(std::move(server)) {
    server_->metrics.connections_active.fetch_add(1, std::memory_order_relaxed);
  }
  ~Session() { server_->metrics.connections_active.fetch_sub(1, std::memory_order_relaxed); }

  void start() {
    net::dispatch(lowest().get_executor(), [self = this->shared_from_this()] {
      if constexpr (is_tls) {
        self->lowest().expires_after(self->server_->limits.header_timeout);
        self->stream_.async_handshake(net::ssl::stream_base::server,
                                      beast::bind_front_handler(&Session::on_handshake, self));
      } else {
        self->read_header();
      }
    });
  }

private:
  static std::string remote_address_of(const tcp::socket& socket) {
    beast::error_code ec;
    auto endpoint = socket.remote_endpoint(ec);
    return ec ? std::string() : endpoint.address().to_string();
  }

  beast::tcp_stream& lowest() { return beast::get_lowest_layer(stream_); }

  void on_handshake(beast::error_code ec) {
    if (ec) {
      // A client that refuses our certificate, offers only old protocols, or sends no client
      // certificate when one is required: its problem, and a scanner's daily noise.
      log::debug("http", "TLS handshake failed", {{"client", remote_}, {"error", ec.message()}});
      return close_socket();
    }
    peer_subject_ = peer_subject(stream_.native_handle(), tls_->subject_nid);
    read_header();
  }

  void read_header() {
    parser_.emplace();
    // The read buffer is capped at the header limit. A request's head must fit in it, and so
    // must a chunked body's trailer, which Beast buffers whole and does not count against the
    // header limit: without the cap, one long trailer field grew the buffer without bound and
    // then made Beast throw (a field value over 64 KiB).
    buffer_.max_size(server_->limits.max_header_bytes);
    parser_->body_limit(server_->limits.max_body_bytes);
    parser_->header_limit(server_->limits.max_header_bytes);
    if (buffer_.size() > 0) return parse_head();  // a pipelined request, already (partly) here
    // Waiting for the next request is idleness; once its first bytes are in, the whole head has
    // header_timeout to arrive (a client dribbling a byte a second is cut off then).
    lowest().expires_after(server_->limits.idle_timeout);
    stream_.async_read_some(buffer_.prepare(beast::read_size(buffer_, 65536)),
                            beast::bind_front_handler(&Session::on_first_bytes, this->shared_from_this()));
  }

  void on_first_bytes(beast::error_code ec, std::size_t bytes) {
    if (ec) return on_read_error(ec);
    buffer_.commit(bytes);
    parse_head();
  }

  void parse_head() {
    lowest().expires_after(server_->limits.header_timeout);
    // Most heads arrive whole in one read: parse them here, without one more (posted) operation.
    beast::error_code ec;
    buffer_.consume(parser_->put(buffer_.data(), ec));
    if (ec == bhttp::error::need_more)
      return bhttp::async_read_header(stream_, buffer_, *parser_,
                                      beast::bind_front_handler(&Session::on_header, this->shared_from_this()));
    on_header(ec, 0);
  }

  void on_header(beast::error_code ec, std::size_t) {
    if (ec) return on_read_error(ec);
    auto problem = framing_problem(parser_->get());
    if (problem.status) return refuse(problem.status, problem.code, problem.reason, problem.message);
    auto target = parser_->get().target();
    if (!visible_ascii(std::string_view(target.data(), target.size())))
      return refuse(400, "BAD_REQUEST", "Bad request",
                    "the request target must be visible ASCII; percent-encode other bytes");
    // A request without a body (most reads) is whole once its head is: handle it now rather
    // than through one more read that would complete at once, posted, with a timer.
    if (parser_->is_done()) return on_read({}, 0);
    // The whole body within read_timeout of the head: a trickled body is cut off then.
    lowest().expires_after(server_->limits.read_timeout);
    bhttp::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&Session::on_read, this->shared_from_this()));
  }

  void on_read_error(beast::error_code ec) {
    // buffer_overflow: a head or a chunked trailer that does not fit in max_header_bytes.
    if (ec == bhttp::error::header_limit || ec == bhttp::error::buffer_overflow)
      return refuse(431, "REQUEST_HEADER_FIELDS_TOO_LARGE", "Request header fields too large",
                    "the request headers or trailers exceed " +
                        std::to_string(server_->limits.max_header_bytes) + " bytes");
    if (ec == bhttp::error::body_limit)
      return refuse(413, "PAYLOAD_TOO_LARGE", "Payload too large",
                    "the request body exceeds " + std::to_string(server_->limits.max_body_bytes) + " bytes");
    // A request we cannot parse gets a 400. Anything else is the connection ending: the client
    // closed or reset it, a deadline passed (beast::error::timeout), TLS failed.
    if (ec.category() != bhttp::make_error_code(bhttp::error::need_more).category() ||
        ec == bhttp::error::end_of_stream)
      return close_socket();
    return refuse(400, "BAD_REQUEST", "Bad request", "malformed HTTP request: " + ec.message());
  }

  void refuse(int status, const char* code, const char* reason, const std::string& message) {
    auto res = std::make_shared<bhttp::response<bhttp::string_body>>(static_cast<bhttp::status>(status), 11);
    res->set(bhttp::field::content_type, "application/json;charset=utf-8");
    res->set(bhttp::field::server, "tmfd");
    res->keep_alive(false);
    res->body() = error_body(status, code, reason, message);
    res->prepare_payload();
    lowest().expires_after(server_->limits.read_timeout);
    bhttp::async_write(stream_, *res, [self = this->shared_from_this(), res](beast::error_code, std::size_t) { self->close(); });
  }

  void on_read(beast::error_code ec, std::size_t) {
    if (ec) return on_read_error(ec);
    lowest().expires_never();  // the handler's time is not the client's idle time
    auto& breq = parser_->get();
    keep_alive_ = breq.keep_alive() && !server_->draining.load(std::memory_order_relaxed);
    head_ = breq.method() == bhttp::verb::head;
    version_ = breq.version();
    bool seen_content_type = false, seen_correlation_id = false;

    Request req;
    req.method = method_of(breq.method());
    auto target = std::string_view(breq.target().data(), breq.target().size());
    auto q = target.find('?');
    req.path = std::string(target.substr(0, q));
    if (q != std::string_view::npos) req.query = std::string(target.substr(q + 1));
    req.remote_address = remote_;
    // A verified client certificate names the principal; an authentication filter may override.
    if constexpr (is_tls)
      if (!peer_subject_.empty()) req.context.principal.subject = peer_subject_;
    // Every field as a view into the parser's buffer, which lives until the next request on this
    // connection is read (after this one is answered); the three fields of old are copied.
    req.headers.reserve(16);
    for (const auto& f : breq) {
      const auto name_text = f.name_string();
      const auto value_text = f.value();
      const std::string_view name(name_text.data(), name_text.size());
      const std::string_view value(value_text.data(), value_text.size());
      req.headers.push_back({name, value});
      // The first of each, as sent.
      if (f.name() == bhttp::field::content_type) {
        if (!seen_content_type) req.content_type = std::string(value);
        seen_content_type = true;
      } else if (f.name() == bhttp::field::if_match) {
        if (!req.if_match) req.if_match.emplace(value);
      } else if (!seen_correlation_id && header_name_equals(name, "X-Correlation-ID")) {
        req.correlation_id = std::string(value);
        seen_correlation_id = true;
      }
    }
    req.body = std::move(breq.body());

    server_->in_flight.fetch_add(1, std::memory_order_relaxed);
    // The front guarantees one reply per request (it wraps every handler's reply). A reply made
    // on this connection's own strand (a read answered before the handler returned) is written
    // at once; one from another thread (the store's writer, after a commit) is posted here.
    // Posting every reply cost a queue hop and, often, waking another I/O thread.
    server_->dispatch(req, [self = this->shared_from_this()](Response r) {
      if (self->on_own_strand()) return self->write(std::move(r));
      net::post(self->lowest().get_executor(), [self, r = std::move(r)]() mutable { self->write(std::move(r)); });
    });
  }

  // True on the thread that runs this connection's strand, inside one of its handlers.
  bool on_own_strand() {
    // The executor is returned by value: the strand target points into it, so it must be held
    // here (a temporary would leave the pointer dangling: ASan, stack-use-after-scope).
    const auto executor = lowest().get_executor();
    const auto* strand = executor.template target<net::strand<net::io_context::executor_type>>();
    return strand && strand->running_in_this_thread();
  }

  void write(Response r) {
    const std::size_t body_size = r.body.size();
    write_response_head(head_text_, r, version_, keep_alive_, body_size);
    body_text_ = std::move(r.body);
    // HEAD: the headers of the GET, Content-Length included, and no body.
    if (head_) body_text_.clear();
    const std::array<net::const_buffer, 2> buffers{net::buffer(head_text_), net::buffer(body_text_)};
    // A client that does not read its response is cut off once this passes.
    lowest().expires_after(server_->limits.read_timeout);
    net::async_write(stream_, buffers, [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
      self->body_text_ = std::string();  // a large list's body must not stay with an idle connection
      self->server_->in_flight.fetch_sub(1, std::memory_order_relaxed);
      if (ec || !self->keep_alive_) return self->close();
      self->read_header();
    });
  }

  // The end of a connection that went well: TLS says so to the peer (close_notify) first, within
  // the header deadline, so that the peer can tell it from a cut.
  void close() {
    if constexpr (is_tls) {
      lowest().expires_after(server_->limits.header_timeout);
      stream_.async_shutdown([self = this->shared_from_this()](beast::error_code) { self->close_socket(); });
    } else {
      close_socket();
    }
  }

  void close_socket() {
    beast::error_code ec;
    lowest().socket().shutdown(tcp::socket::shutdown_send, ec);
    lowest().socket().close(ec);
  }

  std::string remote_;  // the peer's address, for every request's remote_address
  // TLS: the context this connection started with. Declared before the stream, so that it
  // outlives the stream's SSL object.
  std::shared_ptr<const ServerTls> tls_;
  Stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::shared_ptr<Server::Impl> server_;
  std::string peer_subject_;  // TLS: the verified client certificate's subject field
  std::string head_text_;  // the response being written: its head, reused across requests
  std::string body_text_;  // and its body
  bool keep_alive_ = true;
  bool head_ = false;
  unsigned version_ = 11;
};

} // namespace

void Server::Impl::accept(std::shared_ptr<Listener> listener) {
  auto& acceptor = listener->acceptor;
  acceptor.async_accept(net::make_strand(ioc), [self = shared_from_this(), listener = std::move(listener)](
                                                   beast::error_code ec, tcp::socket socket) mutable {
    if (ec) {
      if (ec == net::error::operation_aborted || !listener->acceptor.is_open()) return;
      log::warn("http", "accept failed", {{"error", ec.message()}});
    } else if (self->metrics.connections_active.load(std::memory_order_relaxed) >=
               static_cast<std::int64_t>(self->limits.max_connections)) {
      // Over the limit: close at once rather than queue work we cannot serve.
      self->metrics.connections_refused.fetch_add(1, std::memory_order_relaxed);
      beast::error_code ignored;
      socket.close(ignored);
    } else {
      socket.set_option(tcp::no_delay(true), ec);
      if (listener->tls_options)
        std::make_shared<Session<TlsStream>>(std::move(socket), self, listener->tls())->start();
      else
        std::make_shared<Session<beast::tcp_stream>>(std::move(socket), self)->start();
    }
    if (listener->acceptor.is_open()) self->accept(std::move(listener));
  });
}

std::uint16_t Server::Impl::bind(const std::shared_ptr<Listener>& listener, const std::string& host, std::uint16_t port) {
  // A name (e.g. localhost) is resolved once and one address bound: IPv4 first, since that is
  // what most clients try first for such names.
  tcp::resolver resolver(ioc);
  auto results = resolver.resolve(host, std::to_string(port), tcp::resolver::numeric_service);
  tcp::endpoint ep = results.begin()->endpoint();
  for (const auto& r : results)
    if (r.endpoint().address().is_v4()) {
      ep = r.endpoint();
      break;
    }
  auto& acceptor = listener->acceptor;
  acceptor.open(ep.protocol());
  acceptor.set_option(net::socket_base::reuse_address(true));
  acceptor.bind(ep);
  acceptor.listen(net::socket_base::max_listen_connections);
  listener->port = acceptor.local_endpoint().port();
  listeners.push_back(listener);
  accept(listener);
  return listener->port;
}

Server::Server(net::io_context& ioc, ServerLimits limits, Dispatch dispatch, observability::Metrics& metrics)
    : impl_(std::make_shared<Impl>(ioc, limits, std::move(dispatch), metrics)) {}

Server::~Server() { stop_accepting(); }

std::uint16_t Server::listen(const std::string& host, std::uint16_t port) {
  return impl_->bind(std::make_shared<Listener>(impl_->ioc), host, port);
}

std::uint16_t Server::listen_tls(const std::string& host, std::uint16_t port, const TlsOptions& tls) {
  auto listener = std::make_shared<Listener>(impl_->ioc);
  listener->set_tls(make_server_tls(tls));  // before binding: a bad file binds nothing
  listener->tls_options = tls;
  return impl_->bind(listener, host, port);
}

bool Server::reload_tls() {
  bool all = true;
  for (const auto& listener : impl_->listeners) {
    if (!listener->tls_options) continue;
    try {
      listener->set_tls(make_server_tls(*listener->tls_options));
      log::info("http", "TLS certificate reloaded", {{"port", listener->port}, {"certificate_file", listener->tls_options->certificate_file}});
    } catch (const std::exception& e) {
      all = false;
      log::error("http", "TLS certificate reload failed; the previous certificate stays in use",
                 {{"port", listener->port}, {"error", e.what()}});
    }
  }
  return all;
}

void Server::stop_accepting() {
  impl_->draining = true;
  for (const auto& listener : impl_->listeners)
    net::post(listener->acceptor.get_executor(), [listener] {
      beast::error_code ec;
      listener->acceptor.close(ec);
    });
}

std::int64_t Server::in_flight() const { return impl_->in_flight.load(); }

} // namespace tmfd::http
