#pragma once
// Named durable consumers of the outbox (tmfd::EventStream), for plugins such as Kafka.
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <tmfd/delivery.hpp>

namespace tmfd::store {
class Database;
}

namespace tmfd::delivery {

class EventStreams {
public:
  explicit EventStreams(store::Database& db);

  // Opens the stream of `consumer`, resuming after its stored cursor, or starting where
  // `first_start` says (and storing that cursor) when it has none. Throws std::invalid_argument
  // when the name is empty or already open.
  // `include_internal`: the stream also returns internal kinds' events (the kernel's own durable
  // reactions); plugins' streams never do.
  // `event_types`: only events of these types are returned (empty: all); the others are skipped
  // without being read.
  std::unique_ptr<EventStream> open(const std::string& consumer, StreamStart first_start,
                                    bool include_internal = false, std::vector<std::string> event_types = {});

  // Events up to `sequence` are committed: wakes waiting readers.
  void notify(std::int64_t sequence);
  // The smallest stored cursor of the open streams; nullopt when none is open.
  std::optional<std::int64_t> min_stored_cursor() const;
  // name -> (stored cursor) of open streams, for metrics.
  std::vector<std::pair<std::string, std::int64_t>> cursors() const;

private:
  class Stream;
  friend class Stream;
  void closed(Stream* stream);

  store::Database& db_;
  mutable std::mutex mutex_;
  std::condition_variable committed_;
  std::int64_t head_ = 0;  // last committed sequence known
  std::vector<Stream*> open_;
};

} // namespace tmfd::delivery
