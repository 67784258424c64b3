#include "store/write_queue.hpp"

#include <algorithm>
#include <memory>

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
    : conn_(conn), max_group_size_(max_group_size), metrics_(metrics), syncer_(metrics) {}

WriteQueue::~WriteQueue() { stop(); }

namespace {
thread_local bool this_is_the_writer = false;
}

void WriteQueue::start(CommitListener on_commit, bool sync_before_answer) {
  on_commit_ = std::move(on_commit);
  sync_before_answer_ = sync_before_answer;
  if (sync_before_answer_)
    syncer_.start([] { this_is_the_writer = true; },
                  [this] {
                    // Under the writer's mutex: its wait checks idle() under it, so the wake-up
                    // cannot fall between that check and the wait.
                    bool wake;
                    {
                      std::lock_guard lock(mutex_);
                      wake = writer_waiting_;
                    }
                    if (wake) wake_.notify_one();
                  });
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
  // After the writer: the groups it committed last are synced and answered.
  syncer_.stop();
}

// The query planner needs statistics to choose between indexes: with two indexed filters (e.g.
// lifecycleStatus and name) and none, it may walk the far less selective index. Refresh them after
// 50,000 changed rows, then after twice as many each time up to every 2 million: analysis_limit
// (set at open) bounds each run, but one still holds up the writer for tens of milliseconds
// across every table, and statistics matter most while tables are small and change shape.
void WriteQueue::refresh_statistics_if_due() {
  const std::int64_t changes = sqlite3_total_changes64(conn_.raw());
  if (changes - changes_at_last_analyze_ < analyze_interval_) return;
  changes_at_last_analyze_ = changes;
  analyze_interval_ = std::min<std::int64_t>(analyze_interval_ * 2, 2'000'000);
  try {
    conn_.exec("ANALYZE");
  } catch (const std::exception& e) {
    log::warn("store", "statistics refresh failed", {{"error", e.what()}});
  }
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
    }
    group_started_ms_.store(steady_ms());
    commit_group(group);
    group_started_ms_.store(0);
    group.clear();
  }
}

std::size_t WriteQueue::take_queued(std::vector<WriteJob>& group) {
  std::size_t taken = 0;
  {
    std::lock_guard lock(mutex_);
    while (!queue_.empty() && group.size() < max_group_size_) {
      group.push_back(std::move(queue_.front()));
      queue_.pop_front();
      ++taken;
    }
  }
  metrics_.writer_queue_depth.fetch_sub(static_cast<std::int64_t>(taken), std::memory_order_relaxed);
  return taken;
}

bool WriteQueue::wait_for_more_while_syncing(std::vector<WriteJob>& group) {
  if (!sync_before_answer_ || group.size() >= max_group_size_) return false;
  std::unique_lock lock(mutex_);
  for (;;) {
    if (stopping_ || syncer_.idle()) return false;  // commit now: its sync can start at once
    if (!queue_.empty()) return true;
    writer_waiting_ = true;
    wake_.wait(lock);
    writer_waiting_ = false;
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

// What a group leaves to do once it is committed (and, with sync_before_answer, on disk).
struct WriteQueue::GroupOutcome {
  std::vector<WriteJob> jobs;
  std::vector<std::exception_ptr> errors;
  std::exception_ptr commit_error;
  std::vector<Event> events;
  std::vector<std::function<void()>> after_commit;
};

// Takes the queued jobs and commits them as one group. With sync_before_answer, while the syncer
// is still syncing earlier groups, committing now would gain nothing (this commit's sync would
// wait behind that one anyway) and would cost a commit's page writes: so the group stays open
// and takes in the jobs that arrive meanwhile, and commits once the syncer is free. One commit
// per sync, as large as the load makes it, and the writer's work overlaps the disk's.
void WriteQueue::commit_group(std::vector<WriteJob>& group) {
  auto outcome = std::make_shared<GroupOutcome>();
  std::vector<Event>& committed_events = outcome->events;
  std::vector<std::function<void()>>& after_commit = outcome->after_commit;
  std::vector<std::exception_ptr>& errors = outcome->errors;
  WriteTxn txn(conn_);
  std::exception_ptr commit_error;
  std::size_t next = 0;  // the next job of `group` to run
  auto run_taken_jobs = [&] {
    errors.resize(group.size());
    for (; next < group.size(); ++next) {
      const std::size_t i = next;
      log::CorrelationScope scope(group[i].correlation_id);
      conn_.run_cached("SAVEPOINT job");
      try {
        group[i].run(txn);
        conn_.run_cached("RELEASE job");
        for (auto& e : txn.pending_) committed_events.push_back(std::move(e));
        for (auto& fn : txn.after_commit_) after_commit.push_back(std::move(fn));
      } catch (...) {
        errors[i] = std::current_exception();
        txn.pending_.clear();
        txn.after_commit_.clear();
        // On a full disk or an I/O error SQLite may roll the whole transaction back by itself:
        // then the group as a whole has failed, and every write of it is refused alike.
        if (sqlite3_get_autocommit(conn_.raw())) throw;
        conn_.run_cached("ROLLBACK TO job");
        conn_.run_cached("RELEASE job");
      }
      txn.pending_.clear();
      txn.after_commit_.clear();
    }
  };
  take_queued(group);
  try {
    conn_.run_cached("BEGIN IMMEDIATE");
    run_taken_jobs();
    while (wait_for_more_while_syncing(group)) {
      take_queued(group);
      run_taken_jobs();
    }
    conn_.run_cached("COMMIT");
  } catch (...) {
    // The transaction as a whole failed (disk full, I/O error): nothing of the group is kept.
    commit_error = std::current_exception();
    committed_events.clear();
    after_commit.clear();
    errors.resize(group.size());
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
  outcome->commit_error = commit_error;
  outcome->jobs = std::move(group);
  group.clear();

  if (!sync_before_answer_) {
    complete(*outcome);
    return;
  }
  // The log file the commit wrote to: the syncer makes it durable. Asked here, on the writer
  // thread, because a connection's file controls belong to the thread that uses it.
  sqlite3_file* wal = nullptr;
  if (!commit_error) sqlite3_file_control(conn_.raw(), "main", SQLITE_FCNTL_JOURNAL_POINTER, &wal);
  syncer_.submit(wal, [this, outcome] { complete(*outcome); });
}

void WriteQueue::complete(GroupOutcome& outcome) {
  if (!outcome.events.empty()) {
    durable_sequence_.store(outcome.events.back().sequence, std::memory_order_release);
    // Announce before answering: a client that sees 201 and subscribes late has still been
    // preceded by the event in the bus's order.
    if (on_commit_) on_commit_(std::move(outcome.events));
  }
  for (auto& fn : outcome.after_commit) fn();
  for (std::size_t i = 0; i < outcome.jobs.size(); ++i) {
    log::CorrelationScope scope(outcome.jobs[i].correlation_id);
    outcome.jobs[i].done(outcome.commit_error ? outcome.commit_error : outcome.errors[i]);
  }
}

} // namespace tmfd::store
