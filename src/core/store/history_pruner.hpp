#pragma once
// Retention of the history table: a thread of its own that, every prune interval, deletes
// versions superseded longer ago than the retention, in small write jobs so that requests
// queued behind one never wait long.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <thread>

namespace tmfd::store {

class Database;

struct HistorySettings {
  bool enabled = true;
  std::chrono::seconds retention{0};  // 0: keep every version
  std::chrono::milliseconds prune_interval{60000};
  std::size_t prune_batch = 500;      // rows per write job
};

class HistoryPruner {
public:
  HistoryPruner(Database& db, HistorySettings settings) : db_(db), settings_(settings) {}
  ~HistoryPruner() { stop(); }
  // Starts the thread when there is a retention to apply (after the writer started).
  void start();
  // Before the writer stops.
  void stop();

private:
  void loop();
  // One job; returns how many rows it deleted.
  std::size_t prune_batch(std::int64_t horizon_ms);

  Database& db_;
  HistorySettings settings_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

} // namespace tmfd::store
