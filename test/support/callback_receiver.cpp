// The callback receiver: a blocking accept loop (poll, so that stop() is prompt) and one thread
// per connection that reads requests with Beast and answers them as the fault settings say.
#include "callback_receiver.hpp"

#include <tmfd/date_time.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <stdexcept>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>

namespace tmfd::test {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace json = boost::json;
using tcp = net::ip::tcp;

// ---------------------------------------------------------------------------------------------
// ReceivedRequest
// ---------------------------------------------------------------------------------------------

std::string ReceivedRequest::header(const std::string& lower_name) const {
  for (const auto& [k, v] : headers)
    if (k == lower_name) return v;
  return {};
}

json::value ReceivedRequest::json() const { return json::parse(body); }

namespace {

// The body parsed as a JSON object, or nullopt.
std::optional<json::object> body_object(const std::string& body) {
  if (body.empty()) return std::nullopt;
  json::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec || !v.is_object()) return std::nullopt;
  return std::move(v.as_object());
}

std::string string_at(const json::object& o, const char* key) {
  auto it = o.find(key);
  return it != o.end() && it->value().is_string() ? std::string(it->value().as_string()) : std::string();
}

// The first object-valued member of "event" (the resource), with its key.
const json::object* resource_in(const json::object& event_body, std::string* key = nullptr) {
  auto it = event_body.find("event");
  if (it == event_body.end() || !it->value().is_object()) return nullptr;
  for (const auto& kv : it->value().as_object()) {
    if (kv.value().is_object()) {
      if (key) *key = std::string(kv.key());
      return &kv.value().as_object();
    }
  }
  return nullptr;
}

// The string value of `"name":"..."` found by a plain scan of compact JSON ("" if absent).
std::string scan_string(const std::string& body, const char* name) {
  const std::string needle = std::string("\"") + name + "\":\"";
  auto pos = body.find(needle);
  if (pos == std::string::npos) return {};
  pos += needle.size();
  auto end = body.find('"', pos);
  return end == std::string::npos ? std::string() : body.substr(pos, end - pos);
}

} // namespace

std::string ReceivedRequest::event_id() const {
  if (auto o = body_object(body)) return string_at(*o, "eventId");
  return event_id_text;
}

std::string ReceivedRequest::event_type() const {
  auto o = body_object(body);
  return o ? string_at(*o, "eventType") : std::string();
}

std::string ReceivedRequest::resource_id() const { return resource_attribute("id"); }

std::string ReceivedRequest::resource_collection() const {
  auto o = body_object(body);
  std::string key;
  if (o) resource_in(*o, &key);
  return key;
}

std::string ReceivedRequest::resource_attribute(const std::string& name) const {
  auto o = body_object(body);
  if (!o) return {};
  const json::object* r = resource_in(*o);
  return r ? string_at(*r, name.c_str()) : std::string();
}

// ---------------------------------------------------------------------------------------------
// CallbackReceiver
// ---------------------------------------------------------------------------------------------

struct CallbackReceiver::Connection {
  int fd = -1;  // -1 once the serving thread closes it (guarded by the receiver's mutex)
  std::size_t serial = 0;
  bool finished = false;  // guarded by the receiver's mutex
  std::thread thread;
};

namespace {

// Sync operations need an io_context but never run it: one for every receiver.
net::io_context& shared_io() {
  static net::io_context ioc;
  return ioc;
}

} // namespace

CallbackReceiver::CallbackReceiver(std::uint16_t port) : port_(port) { start(); }

CallbackReceiver::~CallbackReceiver() { stop(); }

std::string CallbackReceiver::url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path;
}

bool CallbackReceiver::running() const {
  std::lock_guard lock(mutex_);
  return running_;
}

void CallbackReceiver::listen_now() {
  // Non-blocking for accept_loop(), which accepts only after poll() and with the lock held.
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) throw std::runtime_error("callback receiver: socket() failed");
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port_);
  // Right after stop() the port may linger briefly: retry the bind for a while.
  int rc = -1;
  for (int i = 0; i < 100; ++i) {
    rc = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    if (rc == 0 || errno != EADDRINUSE) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  if (rc != 0 || ::listen(fd, 256) != 0) {
    const std::string why = std::strerror(errno);
    ::close(fd);
    throw std::runtime_error("callback receiver: cannot listen on 127.0.0.1:" + std::to_string(port_) + ": " + why);
  }
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  listen_fd_ = fd;
}

void CallbackReceiver::start() {
  std::lock_guard lock(mutex_);
  if (running_) return;
  listen_now();
  running_ = true;
  stopping_ = false;
  acceptor_ = std::thread([this, fd = listen_fd_] { accept_loop(fd); });
}

void CallbackReceiver::stop() {
  std::list<std::shared_ptr<Connection>> to_join;
  std::thread acceptor;
  {
    std::lock_guard lock(mutex_);
    if (!running_) return;
    stopping_ = true;
    acceptor = std::move(acceptor_);
  }
  stopping_cv_.notify_all();
  if (acceptor.joinable()) acceptor.join();
  {
    std::lock_guard lock(mutex_);
    ::close(listen_fd_);
    listen_fd_ = -1;
    for (auto& c : connections_)
      if (c->fd >= 0) ::shutdown(c->fd, SHUT_RDWR);
    to_join.swap(connections_);
  }
  stopping_cv_.notify_all();
  for (auto& c : to_join)
    if (c->thread.joinable()) c->thread.join();
  std::lock_guard lock(mutex_);
  running_ = false;
  stopping_ = false;
}

void CallbackReceiver::reap_finished() {
  std::list<std::shared_ptr<Connection>> done;
  {
    std::lock_guard lock(mutex_);
    for (auto it = connections_.begin(); it != connections_.end();) {
      if ((*it)->finished) {
        done.push_back(*it);
        it = connections_.erase(it);
      } else {
        ++it;
      }
    }
  }
  for (auto& c : done)
    if (c->thread.joinable()) c->thread.join();
}

void CallbackReceiver::accept_loop(int listen_fd) {
  for (;;) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
    }
    reap_finished();
    pollfd p{listen_fd, POLLIN, 0};
    int n = ::poll(&p, 1, 50);
    if (n <= 0) continue;
    {
      // Accepted and listed under the lock, so that open_connections() sees every connection
      // either waiting to be accepted or listed.
      std::lock_guard lock(mutex_);
      if (stopping_) return;
      // The listening socket is non-blocking: a connection reset since the poll() cannot keep this
      // waiting with the lock held.
      int fd = ::accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) continue;
      int one = 1;
      ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      auto c = std::make_shared<Connection>();
      c->fd = fd;
      c->serial = ++connection_serial_;
      ++accepted_connections_;
      connections_.push_back(c);
      c->thread = std::thread([this, c] { serve(c); });
    }
  }
}

Answer CallbackReceiver::decide(const ReceivedRequest& r) {
  if (rule_) {
    if (auto a = rule_(r)) return *a;
  }
  if (!queue_.empty()) {
    Answer a = queue_.front();
    queue_.pop_front();
    return a;
  }
  return standing_;
}

void CallbackReceiver::serve(std::shared_ptr<Connection> c) {
  boost::system::error_code ec;
  tcp::socket sock(shared_io());
  sock.assign(tcp::v4(), c->fd, ec);
  beast::flat_buffer buffer;
  for (;;) {
    bhttp::request_parser<bhttp::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    bhttp::read(sock, buffer, parser, ec);
    if (ec) break;
    auto& req = parser.get();

    ReceivedRequest rec;
    rec.connection = c->serial;
    rec.method = std::string(req.method_string());
    rec.target = std::string(req.target());
    rec.body = std::move(req.body());
    for (const auto& f : req) {
      std::string name(f.name_string());
      std::transform(name.begin(), name.end(), name.begin(), [](unsigned char ch) { return std::tolower(ch); });
      rec.headers.emplace_back(std::move(name), std::string(f.value()));
    }
    rec.received_at = std::chrono::system_clock::now();
    rec.event_id_text = scan_string(rec.body, "eventId");
    rec.event_time_text = scan_string(rec.body, "eventTime");

    Answer answer;
    std::size_t index = 0;
    {
      std::lock_guard lock(mutex_);
      answer = decide(rec);
      rec.index = index = next_index_++;
      rec.status = answer.close ? 0 : answer.status;
      rec.delay = answer.delay;
      if (!keep_bodies_) rec.body.clear();
      log_.push_back(std::move(rec));
    }
    arrived_.notify_all();

    bool dropped = false;
    if (answer.delay.count() > 0) {
      std::unique_lock lock(mutex_);
      dropped = stopping_cv_.wait_for(lock, answer.delay, [this] { return stopping_; });
    }
    if (dropped || answer.close) break;

    bhttp::response<bhttp::string_body> res{static_cast<bhttp::status>(answer.status), 11};
    res.set(bhttp::field::server, "tmfd-test-callback-receiver");
    if (!answer.location.empty()) res.set(bhttp::field::location, answer.location);
    if (!answer.body.empty()) {
      res.set(bhttp::field::content_type, "application/json");
      res.body() = answer.body;
    } else if (answer.status >= 300) {
      res.set(bhttp::field::content_type, "application/json");
      res.body() = "{\"status\":" + std::to_string(answer.status) + "}";
    }
    res.keep_alive(req.keep_alive());
    res.prepare_payload();
    bhttp::write(sock, res, ec);
    if (ec) break;
    {
      std::lock_guard lock(mutex_);
      // The log may have been cleared meanwhile: find the record by its index.
      for (auto it = log_.rbegin(); it != log_.rend(); ++it) {
        if (it->index == index) {
          it->answered = true;
          if (it->accepted()) ++accepted_count_;
          break;
        }
        if (it->index < index) break;
      }
    }
    arrived_.notify_all();
    if (!req.keep_alive()) break;
  }
  {
    std::lock_guard lock(mutex_);
    c->fd = -1;
    c->finished = true;
  }
  sock.close(ec);  // closes the descriptor
}

void CallbackReceiver::set_rule(std::function<std::optional<Answer>(const ReceivedRequest&)> rule) {
  std::lock_guard lock(mutex_);
  rule_ = std::move(rule);
}

void CallbackReceiver::fail_when_body_contains(const std::string& marker, int status) {
  set_rule([marker, status](const ReceivedRequest& r) -> std::optional<Answer> {
    if (r.body.find(marker) != std::string::npos) return Answer::fail(status);
    return std::nullopt;
  });
}

void CallbackReceiver::answer_next(std::size_t n, const Answer& a) {
  std::lock_guard lock(mutex_);
  for (std::size_t i = 0; i < n; ++i) queue_.push_back(a);
}

void CallbackReceiver::set_answer(const Answer& a) {
  std::lock_guard lock(mutex_);
  standing_ = a;
}

void CallbackReceiver::reset_faults() {
  std::lock_guard lock(mutex_);
  rule_ = nullptr;
  queue_.clear();
  standing_ = Answer::ok();
}

void CallbackReceiver::keep_bodies(bool keep) {
  std::lock_guard lock(mutex_);
  keep_bodies_ = keep;
}

void CallbackReceiver::clear() {
  std::lock_guard lock(mutex_);
  log_.clear();
  accepted_count_ = 0;
  accepted_connections_ = 0;
}

std::vector<ReceivedRequest> CallbackReceiver::received() const {
  std::lock_guard lock(mutex_);
  return log_;
}

std::vector<ReceivedRequest> CallbackReceiver::accepted() const {
  std::lock_guard lock(mutex_);
  std::vector<ReceivedRequest> out;
  for (const auto& r : log_)
    if (r.accepted()) out.push_back(r);
  return out;
}

std::vector<ReceivedRequest> CallbackReceiver::failed() const {
  std::lock_guard lock(mutex_);
  std::vector<ReceivedRequest> out;
  for (const auto& r : log_)
    if (!r.accepted()) out.push_back(r);
  return out;
}

std::size_t CallbackReceiver::count() const {
  std::lock_guard lock(mutex_);
  return accepted_count_;
}

std::vector<std::size_t> CallbackReceiver::open_connections() const {
  std::lock_guard lock(mutex_);
  std::vector<std::size_t> open;
  if (listen_fd_ >= 0) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (::poll(&p, 1, 0) > 0) open.push_back(0);  // one waits to be accepted
  }
  for (const auto& c : connections_)
    if (!c->finished) open.push_back(c->serial);
  return open;
}

std::size_t CallbackReceiver::attempts() const {
  std::lock_guard lock(mutex_);
  return log_.size();
}

std::size_t CallbackReceiver::connections_accepted() const {
  std::lock_guard lock(mutex_);
  return accepted_connections_;
}

std::set<std::string> CallbackReceiver::accepted_event_ids() const {
  std::set<std::string> out;
  for (const auto& r : accepted()) out.insert(r.event_id());
  return out;
}

bool CallbackReceiver::wait_for_count(std::size_t n, std::chrono::steady_clock::time_point deadline) const {
  std::unique_lock lock(mutex_);
  return arrived_.wait_until(lock, deadline, [&] { return accepted_count_ >= n; });
}

bool CallbackReceiver::wait_until(const std::function<bool(const std::vector<ReceivedRequest>&)>& pred,
                                  std::chrono::steady_clock::time_point deadline) const {
  for (;;) {
    std::vector<ReceivedRequest> copy;
    {
      std::unique_lock lock(mutex_);
      copy = log_;
    }
    if (pred(copy)) return true;
    std::unique_lock lock(mutex_);
    if (std::chrono::steady_clock::now() >= deadline) return false;
    // Re-evaluate on the next arrival or answer, and at least every 100 ms.
    arrived_.wait_until(lock, std::min(deadline, std::chrono::steady_clock::now() + std::chrono::milliseconds(100)));
  }
}

// ---------------------------------------------------------------------------------------------
// Timestamps
// ---------------------------------------------------------------------------------------------

std::optional<std::chrono::system_clock::time_point> parse_utc_timestamp(const std::string& text) {
  // The server's own RFC 3339 reader, so that the tests read times exactly as tmfd writes them.
  const auto ms = tmfd::date_time_ms(text);
  if (!ms) return std::nullopt;
  return std::chrono::system_clock::time_point(std::chrono::milliseconds(*ms));
}

} // namespace tmfd::test
