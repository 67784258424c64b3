#pragma once
// Durable event delivery as modules and plugins see it. Every committed change has its event in
// the outbox table; a durable consumer reads the outbox from its own cursor, which is stored in
// the database, so it receives every event, in commit order, even across restarts. The outbox is
// pruned once every active consumer (event streams and hub subscriptions) has passed an entry.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <tmfd/event.hpp>

namespace tmfd {

// Where a consumer that has never run before starts reading.
enum class StreamStart {
  Latest,    // with the next event committed
  Earliest,  // with the oldest event still in the outbox
};

// One durable consumer's view of the outbox (e.g. the Kafka plugin). Not thread-safe: one thread
// reads and acknowledges.
class EventStream {
public:
  virtual ~EventStream() = default;
  // Up to `max` events committed after those already returned, in commit order; waits up to
  // `wait` for the first one. Empty when nothing arrived in time or the stream was closed.
  virtual std::vector<Event> next(std::size_t max, std::chrono::milliseconds wait) = 0;
  // Every event up to and including `sequence` is delivered: the cursor moves there. It is stored
  // by a queued write shortly after (a crash before then resends those events: at-least-once);
  // a restart resumes after the stored cursor, and the outbox may prune what it passed. Allowed
  // after close().
  virtual void acknowledge(std::int64_t sequence) = 0;
  // Delivery of what next() returned failed: the following next() starts again after the last
  // acknowledged sequence.
  virtual void rewind() = 0;
  // The last acknowledged sequence (0: none yet).
  virtual std::int64_t acknowledged() const = 0;
  // How far next() has read: at least the last event it returned, and beyond it when events it
  // does not return (another type, an internal kind's) came after. Acknowledging up to here
  // moves the cursor past them.
  virtual std::int64_t position() const = 0;
  // Wakes a next() that waits, and makes later calls return at once (used on shutdown).
  virtual void close() = 0;
};

// Hub subscriptions (TMF630 `POST {base}/hub`): the kernel serves them on every API base path
// that has resource kinds. A module serving its own hubs (TMF688) uses these.
class Hubs {
public:
  virtual ~Hubs() = default;
  // Serves POST and GET `hub_path`, GET and DELETE `hub_path/{id}` (and the hub's dead letters)
  // for hubs that receive the events of `domains` (empty: every event, topics included).
  virtual void serve(const std::string& hub_path, std::vector<std::string> domains) = 0;
  // Serves hubs on TMF688 topics: `hub_path` contains one {param} segment, the topic id (named as
  // the topic's own routes name it, e.g. /topic/{id}/hub; a hub's id is then {hubId}). `topic_filter`
  // returns the topic's own filter in the TMF630 query syntax, applied to every event before the
  // hub's query (empty: none), or nullopt when there is no such topic (answered 404).
  virtual void serve_topic(const std::string& hub_path,
                           std::function<std::optional<std::string>(const std::string& topic_id)> topic_filter) = 0;
  // Removes every hub of a topic (the topic was deleted). Asynchronous.
  virtual void remove_topic_hubs(const std::string& topic_id) = 0;
};

} // namespace tmfd
