#pragma once
// A hub callback receiver for the delivery tests and the delivery benchmark: a real HTTP/1.1
// server inside the test process, on 127.0.0.1, one thread per connection, keep-alive, bodies
// with Content-Length or chunked. It records every request it reads (body, headers, when it was
// read, what it answered) and can misbehave on purpose, switchable at run time: answer a given
// status (for the next N requests, until changed, or for bodies that contain a marker), answer
// late, close the connection without answering, or stop listening (connections are refused) and
// start again on the same port.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <boost/json/value.hpp>

namespace tmfd::test {

// One request the receiver read, and what it did with it.
struct ReceivedRequest {
  std::size_t index = 0;       // arrival order over the receiver's life (0, 1, 2...)
  std::size_t connection = 0;  // which accepted connection carried it (1, 2, 3...)
  std::string method, target, body;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased, in order
  std::chrono::system_clock::time_point received_at;         // when the whole request was read
  int status = 0;                     // status answered; 0: the connection was closed instead
  std::chrono::milliseconds delay{0}; // how long the answer was held back
  bool answered = false;              // the answer was written (false while held back, or when
                                      // the connection broke or was closed instead)
  // Taken from the body by a light scan when it was read (also kept when bodies are not).
  std::string event_id_text, event_time_text;

  // A 2xx was answered (written). With a delay longer than the sender's timeout the sender may
  // still have counted it as a failure; it did arrive.
  bool accepted() const { return answered && status >= 200 && status < 300; }
  std::string header(const std::string& lower_name) const;  // "" when absent
  std::string correlation_id() const { return header("x-correlation-id"); }
  std::string content_type() const { return header("content-type"); }

  // The body as JSON (throws when it is not JSON, or was not kept).
  boost::json::value json() const;
  // TMF event helpers: "" when the body is not an event of that shape.
  std::string event_id() const;
  std::string event_type() const;
  // The id of the resource in the event: event.<collection>.id, whatever the collection.
  std::string resource_id() const;
  // The key of the resource inside "event" ("individual", "organization", "catalog"...).
  std::string resource_collection() const;
  // A string attribute of that resource ("" when absent or not a string).
  std::string resource_attribute(const std::string& name) const;
};

// How the receiver answers a request.
struct Answer {
  int status = 204;                    // ignored when close is set
  std::chrono::milliseconds delay{0};  // wait this long before answering (or closing)
  bool close = false;                  // close the connection without answering
  std::string location;                // a Location header (for 3xx answers)
  std::string body;                    // a JSON body to answer with (default: none below 300)

  static Answer ok(int status = 204) { return Answer{status, {}, false, {}, {}}; }
  static Answer fail(int status = 500) { return Answer{status, {}, false, {}, {}}; }
  static Answer slow(std::chrono::milliseconds d, int status = 204) { return Answer{status, d, false, {}, {}}; }
  static Answer hang_up() { return Answer{0, {}, true, {}, {}}; }
  static Answer redirect(std::string to, int status = 307) { return Answer{status, {}, false, std::move(to), {}}; }
  static Answer json(std::string body, int status = 200) { return Answer{status, {}, false, {}, std::move(body)}; }
};

class CallbackReceiver {
public:
  // Listens on 127.0.0.1:`port` (0: a free port) at once.
  explicit CallbackReceiver(std::uint16_t port = 0);
  ~CallbackReceiver();
  CallbackReceiver(const CallbackReceiver&) = delete;
  CallbackReceiver& operator=(const CallbackReceiver&) = delete;

  std::uint16_t port() const { return port_; }
  // "http://127.0.0.1:PORT" + path, the callback URL to register.
  std::string url(const std::string& path = "/callback") const;

  // Stops listening and closes every open connection (a request being answered late is dropped
  // unanswered); new connections are refused until start(). Idempotent.
  void stop();
  // Listens again on the same port. Idempotent.
  void start();
  bool running() const;

  // --- Fault injection. For each request, the first that applies: the rule, the queue of
  // answers for the next requests, the standing answer (204 at first).
  // A function deciding the answer from the request (nullopt: no opinion). Runs under the
  // receiver's lock: keep it quick and do not call the receiver from it.
  void set_rule(std::function<std::optional<Answer>(const ReceivedRequest&)> rule);
  // Answers `status` to every request whose body contains `marker`.
  void fail_when_body_contains(const std::string& marker, int status = 500);
  // The next `n` requests get `a`.
  void answer_next(std::size_t n, const Answer& a);
  void fail_next(std::size_t n, int status = 500) { answer_next(n, Answer::fail(status)); }
  // The answer of every request nothing else decides, until changed.
  void set_answer(const Answer& a);
  void set_status(int status) { set_answer(Answer::ok(status)); }
  // Back to answering 204 at once to everything (rule and queue dropped too).
  void reset_faults();

  // Recording. Not keeping bodies (the benchmark) saves memory: event_id_text and
  // event_time_text are kept still.
  void keep_bodies(bool keep);
  // Forgets everything recorded so far (counters of connections too).
  void clear();

  std::vector<ReceivedRequest> received() const;  // every request read, in arrival order
  std::vector<ReceivedRequest> accepted() const;  // those answered (written) 2xx
  std::vector<ReceivedRequest> failed() const;    // those given another status, or hung up on
  std::size_t count() const;                      // requests answered (written) 2xx
  std::size_t attempts() const;                   // every request read
  std::size_t connections_accepted() const;
  // The serials of the connections not closed yet by their peer, and 0 if one waits to be
  // accepted. Once a sender has closed its connections, every request it sent is recorded when
  // none of them is listed any more.
  std::vector<std::size_t> open_connections() const;
  // The distinct event ids of the requests answered 2xx.
  std::set<std::string> accepted_event_ids() const;

  // Waits until count() >= n or the deadline passes; returns whether it got there.
  bool wait_for_count(std::size_t n, std::chrono::steady_clock::time_point deadline) const;
  bool wait_for_count(std::size_t n, std::chrono::milliseconds limit) const {
    return wait_for_count(n, std::chrono::steady_clock::now() + limit);
  }
  // Waits until `pred(received())` holds or the deadline passes; evaluated on each arrival.
  bool wait_until(const std::function<bool(const std::vector<ReceivedRequest>&)>& pred,
                  std::chrono::steady_clock::time_point deadline) const;

private:
  struct Connection;
  void listen_now();
  void accept_loop(int listen_fd);
  void serve(std::shared_ptr<Connection> c);
  Answer decide(const ReceivedRequest& r);
  void reap_finished();

  std::uint16_t port_ = 0;
  mutable std::mutex mutex_;
  mutable std::condition_variable arrived_;  // a request was recorded
  std::condition_variable stopping_cv_;      // wakes answers held back (delay) on stop
  bool running_ = false;
  bool stopping_ = false;
  int listen_fd_ = -1;
  std::thread acceptor_;
  std::list<std::shared_ptr<Connection>> connections_;
  std::size_t connection_serial_ = 0;
  std::size_t accepted_connections_ = 0;

  std::vector<ReceivedRequest> log_;
  std::size_t accepted_count_ = 0;
  std::size_t next_index_ = 0;
  bool keep_bodies_ = true;

  std::function<std::optional<Answer>(const ReceivedRequest&)> rule_;
  std::deque<Answer> queue_;
  Answer standing_ = Answer::ok();
};

// Parses a UTC timestamp as the server writes them ("2024-01-31T12:00:00.123Z", fraction
// optional, any number of its digits); nullopt when it is not of that form.
std::optional<std::chrono::system_clock::time_point> parse_utc_timestamp(const std::string& text);

} // namespace tmfd::test
