#pragma once
// The single writer: every change to the database goes through one thread that commits queued
// writes in groups, so many requests share one transaction (and one fsync) while readers keep
// reading the last committed state through WAL.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <algorithm>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <tmfd/event.hpp>

#include "store/commit_syncer.hpp"
#include "store/sqlite.hpp"

namespace tmfd::observability {
class Metrics;
}

namespace tmfd::store {

// What a write job sees: the writer connection inside an open transaction, and the outbox.
class WriteTxn {
public:
  explicit WriteTxn(Connection& conn) : conn_(conn) {}
  Connection& connection() { return conn_; }
  // Writes the event to the outbox in the current transaction; the bus publishes it after
  // commit. Fills in event.sequence.
  void emit(Event event);
  // Events emitted so far by the current job, and forgetting those after the first `count`: a
  // change rolled back to its savepoint takes its events with it.
  std::size_t pending_events() const { return pending_.size(); }
  void drop_events_after(std::size_t count) { pending_.resize(std::min(count, pending_.size())); }
  // Runs `fn` on the writer thread once the group holding this job committed (not if the job or
  // the commit failed): e.g. wakes a timer runner for a timer the job scheduled.
  void after_commit(std::function<void()> fn) { after_commit_.push_back(std::move(fn)); }

private:
  friend class WriteQueue;
  Connection& conn_;
  std::vector<Event> pending_;  // events of the current job
  std::vector<std::function<void()>> after_commit_;  // of the current job
};

struct WriteJob {
  std::string correlation_id;
  // Runs inside the group transaction (in its own savepoint). Throwing rolls back only this job.
  std::function<void(WriteTxn&)> run;
  // Called after the group committed (error null; with sync_before_answer, once the commit is
  // on disk) or after this job or the commit failed (error set), on a thread of the queue's own
  // (on_writer_thread() is true there): it must not wait for another write. Must not throw.
  std::function<void(std::exception_ptr error)> done;
};

class WriteQueue {
public:
  using CommitListener = std::function<void(std::vector<Event>&&)>;

  WriteQueue(Connection& conn, std::size_t max_group_size, observability::Metrics& metrics);
  ~WriteQueue();

  // sync_before_answer (storage.synchronous: full, with SQLite's own commit sync off): groups
  // are made durable by a CommitSyncer before their events are announced and their jobs done.
  void start(CommitListener on_commit, bool sync_before_answer);
  void submit(WriteJob job);
  // The highest outbox sequence known to be on disk (and announced): readers of the outbox read
  // no further, so nothing leaves tmfd that a power cut could take back. Any thread.
  std::int64_t durable_sequence() const { return durable_sequence_.load(std::memory_order_acquire); }
  // Before start: the outbox head found on disk.
  void set_durable_sequence(std::int64_t sequence) { durable_sequence_.store(sequence); }
  // True on the writer thread and on the thread completing its groups (inside a job or its done
  // callback): code there must not wait for a write.
  static bool on_writer_thread() noexcept;
  // How long the writer has been on its current group (waiting for the database lock, running
  // the jobs, committing); 0 when it is idle. Any thread.
  std::chrono::milliseconds busy_for() const;
  // Stops taking jobs, commits what is queued, joins the thread.
  void stop();

private:
  void run();
  void commit_group(std::vector<WriteJob>& group);
  // Moves queued jobs into `group` (up to max_group_size); returns how many.
  std::size_t take_queued(std::vector<WriteJob>& group);
  // With a sync under way: waits until a job is queued (true) or the syncer is free (false).
  bool wait_for_more_while_syncing(std::vector<WriteJob>& group);
  struct GroupOutcome;
  // Announces a group's events and calls its jobs' done callbacks.
  void complete(GroupOutcome& outcome);
  void refresh_statistics_if_due();

  Connection& conn_;
  std::size_t max_group_size_;
  observability::Metrics& metrics_;
  CommitListener on_commit_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<WriteJob> queue_;
  bool stopping_ = false;
  bool writer_waiting_ = false;  // wake the writer only when it sleeps: saves a futex call per write
  std::int64_t changes_at_last_analyze_ = 0;
  std::int64_t analyze_interval_ = 50'000;  // changed rows between two statistics refreshes
  // steady_clock milliseconds when the current group was taken; 0 when the writer is idle.
  std::atomic<std::int64_t> group_started_ms_{0};
  std::atomic<std::int64_t> durable_sequence_{0};
  bool sync_before_answer_ = false;
  CommitSyncer syncer_;
  std::thread thread_;
};

} // namespace tmfd::store
