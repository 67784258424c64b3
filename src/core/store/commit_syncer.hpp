#pragma once
// Pipelined group commit (storage.synchronous: full). The writer commits a group without waiting
// for the disk and goes straight on to the next group; this thread makes the write-ahead log
// durable, with one sync for every group committed since its last one, and only then completes
// the groups in commit order: their events are announced and their writers answered.
//
// Why: with SQLite syncing inside COMMIT, the writer sat idle for the whole fsync, and every
// request of the next group waited for it. Here the fsync of one group overlaps the work of the
// next, and nothing is acknowledged or announced before it is on disk.
//
// What a reader may see: a committed group is readable (GET) from the moment it commits, a sync's
// time (about a millisecond) before it is acknowledged. A power cut (not a process crash: the data
// is then in the operating system's cache) in that window loses writes no one was told succeeded;
// a concurrent reader may have seen them. docs/operations.md says so.
//
// A sync that fails leaves it unknown what reached the disk; retrying cannot tell (Linux marks the
// pages clean after reporting the error). tmfd then stops at once, as PostgreSQL does, and a
// restart recovers whatever the log holds. See on_sync_failure.
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <utility>

struct sqlite3_file;

namespace tmfd::observability {
class Metrics;
}

namespace tmfd::store {

class CommitSyncer {
public:
  using Completion = std::function<void()>;

  explicit CommitSyncer(observability::Metrics& metrics) : metrics_(metrics) {}
  ~CommitSyncer();
  CommitSyncer(const CommitSyncer&) = delete;
  CommitSyncer& operator=(const CommitSyncer&) = delete;

  // `thread_init` runs first on the new thread (the write queue marks it as one of its own);
  // `on_idle` runs on it each time a sync ends with nothing more queued.
  void start(std::function<void()> thread_init, std::function<void()> on_idle);
  // Nothing queued and no sync under way (completions of synced groups may still be running:
  // a group committed now is synced right after them). Any thread.
  bool idle() const;
  // Queues a group's completion, to run once `wal` is synced (no sync when null: a group that did
  // not commit). Completions run on this thread, in the order they were queued.
  void submit(sqlite3_file* wal, Completion completion);
  // Syncs and completes everything queued, then joins the thread.
  void stop();

private:
  struct Pending {
    sqlite3_file* wal;
    Completion completion;
  };
  void run();

  observability::Metrics& metrics_;
  std::function<void()> on_idle_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Pending> queue_;
  bool stopping_ = false;
  bool waiting_ = false;
  bool running_ = false;  // a batch is being synced
  std::thread thread_;
};

} // namespace tmfd::store
