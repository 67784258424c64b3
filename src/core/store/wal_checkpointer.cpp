#include "store/wal_checkpointer.hpp"

#include <algorithm>

#include <sqlite3.h>

#include <tmfd/log.hpp>

#include "observability/metrics.hpp"

namespace tmfd::store {

namespace {
// The most the writer copies itself to start the log over (see the header).
constexpr int kWriterTailPages = 64;
} // namespace

WalCheckpointer::WalCheckpointer(std::string path, int busy_timeout_ms, int frames, observability::Metrics& metrics)
    : path_(std::move(path)), busy_timeout_ms_(busy_timeout_ms), frames_(frames), metrics_(metrics) {}

WalCheckpointer::~WalCheckpointer() { stop(); }

void WalCheckpointer::attach(Connection& writer) {
  // Replaces SQLite's automatic checkpoint, which is itself a WAL hook.
  sqlite3_wal_hook(writer.raw(), &WalCheckpointer::on_wal_commit, this);
  thread_ = std::thread([this] { run(); });
}

void WalCheckpointer::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

// On the writer thread, after each commit, with the log's size in pages.
int WalCheckpointer::on_wal_commit(void* arg, sqlite3* db, const char* schema, int frames) {
  auto* self = static_cast<WalCheckpointer*>(arg);
  // A smaller log than at the last commit: it was started over, earlier copies count no more.
  if (frames < self->last_frames_) self->backfilled_.store(0);
  self->last_frames_ = frames;
  if (frames < self->frames_) return SQLITE_OK;
  const int backfilled = self->backfilled_.load();
  const bool small_tail =
      backfilled > 0 && backfilled <= frames && frames - backfilled <= std::min(self->frames_ / 4, kWriterTailPages);
  if (small_tail || frames >= 4 * self->frames_) {
    sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    self->backfilled_.store(0);
    return SQLITE_OK;
  }
  bool wake = false;
  {
    std::lock_guard lock(self->mutex_);
    if (!self->requested_ && !self->running_) self->requested_ = wake = true;
  }
  if (wake) self->wake_.notify_one();
  return SQLITE_OK;
}

void WalCheckpointer::run() {
  std::unique_ptr<Connection> conn;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || requested_; });
      if (stopping_) return;
      requested_ = false;
      running_ = true;
    }
    try {
      if (!conn) {
        conn = std::make_unique<Connection>(path_, Connection::Mode::ReadWrite, busy_timeout_ms_);
        // The checkpoint syncs the log before copying it and the database file after.
        conn->exec("PRAGMA synchronous=FULL");
      }
      int log_frames = 0, copied = 0;
      const int rc = sqlite3_wal_checkpoint_v2(conn->raw(), "main", SQLITE_CHECKPOINT_PASSIVE, &log_frames, &copied);
      if (rc == SQLITE_OK) {
        backfilled_.store(copied);
        metrics_.checkpoints.fetch_add(1, std::memory_order_relaxed);
      }
      else if (rc != SQLITE_BUSY)
        log::warn("store", "checkpoint failed; retried after the next commits", {{"error", sqlite3_errstr(rc)}});
    } catch (const std::exception& e) {
      log::warn("store", "checkpoint failed; retried after the next commits", {{"error", e.what()}});
      conn.reset();
    }
    std::lock_guard lock(mutex_);
    running_ = false;
  }
}

} // namespace tmfd::store
