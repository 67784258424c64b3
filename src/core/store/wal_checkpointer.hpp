#pragma once
// Checkpoints off the writer's path. SQLite checkpoints the write-ahead log into the database
// file from the connection that commits, inside COMMIT, once the log passes a size: every few
// hundred groups one commit then copied megabytes and synced the main file while every write
// behind it waited. Here the writer only notes the log's size after each commit (a WAL hook) and
// this thread checkpoints on a connection of its own, PASSIVE, so that neither writer nor readers
// ever wait for it. The writer restarts the log from its beginning on its next transaction after
// a checkpoint has copied all of it.
//
// The log is only reused once a checkpoint has copied all of it, and under steady writes the
// writer has always appended a little more by the time this thread is done. So once a
// checkpoint here has copied all but a small tail (at most 64 pages), the writer copies that
// tail itself and its next transaction starts the log over. That costs the writer two syncs (the
// log, then the database file), during which every write waits: hence a large log (few restarts)
// and a small tail (quick syncs); this thread runs pass after pass until the tail is that small. Under writes so sustained that the log grows
// past four times the threshold anyway, the writer checkpoints all of it (as SQLite would have).
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "store/sqlite.hpp"

namespace tmfd::observability {
class Metrics;
}

namespace tmfd::store {

class WalCheckpointer {
public:
  // `frames`: the log size, in pages, that asks for a checkpoint.
  WalCheckpointer(std::string path, int busy_timeout_ms, int frames, observability::Metrics& metrics);
  ~WalCheckpointer();
  WalCheckpointer(const WalCheckpointer&) = delete;
  WalCheckpointer& operator=(const WalCheckpointer&) = delete;

  // Installs the WAL hook on the writer connection and starts the thread.
  void attach(Connection& writer);
  void stop();

private:
  static int on_wal_commit(void* self, sqlite3* db, const char* schema, int frames);
  void run();

  std::string path_;
  int busy_timeout_ms_;
  int frames_;
  observability::Metrics& metrics_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool requested_ = false;
  bool running_ = false;  // a checkpoint is under way
  bool stopping_ = false;
  // Pages the last checkpoint here had copied (0: none since the log was last started over).
  std::atomic<int> backfilled_{0};
  int last_frames_ = 0;  // the log's size at the previous commit; writer thread only
  std::thread thread_;
};

} // namespace tmfd::store
