#include "store/write_queue.hpp"

#include <algorithm>

#include <tmfd/log.hpp>

#include "observability/metrics.hpp"

namespace tmfd::store {

namespace {

// Never 0, which means "idle" in group_started_ms_.
std::int64_t steady_ms() {
  const auto now = std::chrono::steady_clock::now().time_since_epoch();
  return std::max<std::int64_t>(1, std::chrono::duration_cast<std::chrono::milliseconds>(now).count());
}

} // namespace

void WriteTxn::emit(Event event) {
  static const std::string kInsert =
      "INSERT INTO tmfd_outbox(event_id, event_type, domain, resource_type, resource_id, "
      "correlation_id, payload, topic, principal, internal) VALUES (?,?,?,?,?,?,?,?,?,?)";
  auto& st = conn_.prepare(kInsert);
  StatementUse use(st);
  st.bind(1, event.event_id).bind(2, event.event_type).bind(3, event.domain);
  st.bind(4, event.resource_type).bind(5, event.resource_id).bind(6, event.correlation_id);
  st.bind(7, event.payload).bind(8, event.topic).bind(9, event.principal);
  st.bind(10, static_cast<std::int64_t>(event.internal ? 1 : 0));
  st.step();
  event.sequence = sqlite3_last_insert_rowid(conn_.raw());
  pending_.push_back(std::move(event));
}

WriteQueue::WriteQueue(Connection& conn, std::size_t max_group_size,
                       observability::Metrics& metrics)
    : conn_(conn), max_group_size_(max_group_size), metrics_(metrics) {}

WriteQueue::~WriteQueue() { stop(); }

void WriteQueue::start(CommitListener on_commit) {
  on_commit_ = std::move(on_commit);
  thread_ = std::thread([this] { run(); });
}

void WriteQueue::submit(WriteJob job) {
  bool wake;
  {
    std::unique_lock lock(mutex_);
    if (stopping_) {
      // After shutdown nothing will run the job: refuse it now rather than leave its caller
      // waiting forever.
      lock.unlock();
      job.done(std::make_exception_ptr(std::runtime_error("the store is shutting down")));
      return;
    }
    queue_.push_back(std::move(job));
    wake = writer_waiting_;
  }
  metrics_.writer_queue_depth.fetch_add(1, std::memory_order_relaxed);
  if (wake) wake_.notify_one();
}

std::chrono::milliseconds WriteQueue::busy_for() const {
  const auto started = group_started_ms_.load();
  return std::chrono::milliseconds(started == 0 ? 0 : std::max<std::int64_t>(0, steady_ms() - started));
}

void WriteQueue::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ && !thread_.joinable()) return;
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

// The query planner needs statistics to choose between indexes: with two indexed filters (e.g.
// lifecycleStatus and name) and none, it may walk the far less selective index. Refresh them after
// every 50,000 changed rows: analysis_limit (set at open) bounds each run, but it still holds up
// the writer for some milliseconds across every table.
void WriteQueue::refresh_statistics_if_due() {
  const std::int64_t changes = sqlite3_total_changes64(conn_.raw());
  if (changes - changes_at_last_analyze_ < 50000) return;
  changes_at_last_analyze_ = changes;
  try {
    conn_.exec("ANALYZE");
  } catch (const std::exception& e) {
    log::warn("store", "statistics refresh failed", {{"error", e.what()}});
  }
}

namespace {
thread_local bool this_is_the_writer = false;
}

bool WriteQueue::on_writer_thread() noexcept { return this_is_the_writer; }

void WriteQueue::run() {
  this_is_the_writer = true;
  std::vector<WriteJob> group;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      writer_waiting_ = true;
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      writer_waiting_ = false;
      if (queue_.empty()) return;  // stopping and drained
      while (!queue_.empty() && group.size() < max_group_size_) {
        group.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    metrics_.writer_queue_depth.fetch_sub(static_cast<std::int64_t>(group.size()),
                                          std::memory_order_relaxed);
    group_started_ms_.store(steady_ms());
    commit_group(group);
    group_started_ms_.store(0);
    group.clear();
  }
}

namespace {

std::string describe(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "unknown exception";
  }
}

} // namespace

void WriteQueue::commit_group(std::vector<WriteJob>& group) {
  std::vector<std::exception_ptr> errors(group.size());
  std::vector<Event> committed_events;
  std::vector<std::function<void()>> after_commit;
  WriteTxn txn(conn_);
  std::exception_ptr commit_error;
  try {
    conn_.run_cached("BEGIN IMMEDIATE");
    for (std::size_t i = 0; i < group.size(); ++i) {
      log::CorrelationScope scope(group[i].correlation_id);
      conn_.run_cached("SAVEPOINT job");
      try {
        group[i].run(txn);
        conn_.run_cached("RELEASE job");
        for (auto& e : txn.pending_) committed_events.push_back(std::move(e));
        for (auto& fn : txn.after_commit_) after_commit.push_back(std::move(fn));
      } catch (...) {
        errors[i] = std::current_exception();
        // On a full disk or an I/O error SQLite may roll the whole transaction back by itself:
        // then the group as a whole has failed, and every write of it is refused alike.
        if (sqlite3_get_autocommit(conn_.raw())) throw;
        conn_.run_cached("ROLLBACK TO job");
        conn_.run_cached("RELEASE job");
      }
      txn.pending_.clear();
      txn.after_commit_.clear();
    }
    conn_.run_cached("COMMIT");
  } catch (...) {
    // The transaction as a whole failed (disk full, I/O error): nothing of the group is kept.
    commit_error = std::current_exception();
    committed_events.clear();
    after_commit.clear();
    try {
      if (!sqlite3_get_autocommit(conn_.raw())) conn_.exec("ROLLBACK");
    } catch (...) {
    }
    log::error("store", "group commit failed; every write of the group is refused",
               {{"writes", group.size()}, {"error", describe(commit_error)}});
  }
  refresh_statistics_if_due();
  metrics_.writer_commits.fetch_add(1, std::memory_order_relaxed);
  metrics_.writer_group_size.observe(static_cast<double>(group.size()));
  metrics_.events_written.fetch_add(committed_events.size(), std::memory_order_relaxed);

  // Announce before answering: a client that sees 201 and subscribes late has still been
  // preceded by the event in the bus's order.
  if (!committed_events.empty() && on_commit_) on_commit_(std::move(committed_events));
  for (auto& fn : after_commit) fn();
  for (std::size_t i = 0; i < group.size(); ++i) {
    log::CorrelationScope scope(group[i].correlation_id);
    group[i].done(commit_error ? commit_error : errors[i]);
  }
}

} // namespace tmfd::store
