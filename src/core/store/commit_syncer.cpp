#include "store/commit_syncer.hpp"

#include <sqlite3.h>

#include <cstdio>
#include <cstdlib>

#include <tmfd/log.hpp>

#include "observability/metrics.hpp"

namespace tmfd::store {

namespace {

// See the header: after a failed sync nothing can be acknowledged honestly any more.
[[noreturn]] void on_sync_failure(int rc) {
  const std::string why = sqlite3_errstr(rc);
  log::error("store",
             "the write-ahead log could not be synced to disk: tmfd stops now so that no write is "
             "acknowledged that may not be on disk; a restart recovers what the log holds",
             {{"error", why}});
  std::fprintf(stderr, "tmfd: fatal: write-ahead log sync failed (%s)\n", why.c_str());
  std::fflush(stderr);
  std::_Exit(75);  // EX_TEMPFAIL: a supervisor restarts it
}

} // namespace

CommitSyncer::~CommitSyncer() { stop(); }

void CommitSyncer::start(std::function<void()> thread_init, std::function<void()> on_idle) {
  on_idle_ = std::move(on_idle);
  thread_ = std::thread([this, init = std::move(thread_init)] {
    if (init) init();
    run();
  });
}

void CommitSyncer::submit(sqlite3_file* wal, Completion completion) {
  bool wake;
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(Pending{wal, std::move(completion)});
    wake = waiting_;
  }
  if (wake) wake_.notify_one();
}

void CommitSyncer::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

bool CommitSyncer::idle() const {
  std::lock_guard lock(mutex_);
  return queue_.empty() && !running_;
}

void CommitSyncer::run() {
  std::deque<Pending> batch;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      waiting_ = true;
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      waiting_ = false;
      if (queue_.empty()) return;  // stopping and drained
      batch.swap(queue_);
      running_ = true;  // syncing
    }
    // Every group in the batch was written to the log before it was queued, so one sync of the
    // log (the same file for all of them) makes them all durable.
    sqlite3_file* wal = nullptr;
    for (const auto& p : batch)
      if (p.wal) wal = p.wal;
    if (wal && wal->pMethods) {
      const int rc = wal->pMethods->xSync(wal, SQLITE_SYNC_NORMAL);
      if (rc != SQLITE_OK) on_sync_failure(rc);
      metrics_.wal_syncs.fetch_add(1, std::memory_order_relaxed);
    }
    // The disk is free: the writer may commit its next group now, while this thread answers and
    // announces the groups just synced (their completions), and that group's sync starts as soon
    // as they are done.
    bool now_idle;
    {
      std::lock_guard lock(mutex_);
      running_ = false;
      now_idle = queue_.empty();
    }
    if (now_idle && on_idle_) on_idle_();
    for (auto& p : batch) p.completion();
    batch.clear();
  }
}

} // namespace tmfd::store
