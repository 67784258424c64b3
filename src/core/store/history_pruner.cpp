#include "store/history_pruner.hpp"

#include <future>

#include <tmfd/log.hpp>

#include "store/database.hpp"
#include "store/history_log.hpp"

namespace tmfd::store {

void HistoryPruner::start() {
  if (!settings_.enabled || settings_.retention.count() <= 0 || thread_.joinable()) return;
  thread_ = std::thread([this] { loop(); });
}

void HistoryPruner::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

std::size_t HistoryPruner::prune_batch(std::int64_t horizon_ms) {
  std::promise<std::size_t> pruned;
  auto result = pruned.get_future();
  auto count = std::make_shared<std::size_t>(0);
  WriteJob job;
  job.run = [this, horizon_ms, count](WriteTxn& txn) {
    *count = history::prune(txn.connection(), horizon_ms, settings_.prune_batch);
  };
  job.done = [&pruned, count](std::exception_ptr error) {
    if (error) pruned.set_exception(error);
    else pruned.set_value(*count);
  };
  db_.submit(std::move(job));
  return result.get();
}

void HistoryPruner::loop() {
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, settings_.prune_interval, [this] { return stopping_; })) {
    lock.unlock();
    const auto horizon = std::chrono::system_clock::now() - settings_.retention;
    const auto horizon_ms = std::chrono::duration_cast<std::chrono::milliseconds>(horizon.time_since_epoch()).count();
    std::size_t total = 0;
    try {
      // Batch after batch while there is a backlog, each its own job: writes queued meanwhile
      // go between them.
      for (;;) {
        auto n = prune_batch(horizon_ms);
        total += n;
        if (n < settings_.prune_batch) break;
        std::lock_guard check(mutex_);
        if (stopping_) break;
      }
    } catch (const std::exception& e) {
      log::warn("store", "history pruning failed", {{"error", e.what()}});
    }
    if (total > 0) log::debug("store", "history pruned", {{"rows", static_cast<std::int64_t>(total)}});
    lock.lock();
  }
}

} // namespace tmfd::store
