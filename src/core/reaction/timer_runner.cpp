#include "reaction/timer_runner.hpp"

#include <future>
#include <vector>

#include <tmfd/log.hpp>
#include <tmfd/unit_of_work.hpp>

#include "reaction/work_outcome.hpp"
#include "resource/ids_and_time.hpp"
#include "resource/work_session.hpp"
#include "store/database.hpp"
#include "store/reaction_rows.hpp"

namespace tmfd::reaction {

namespace {
constexpr std::size_t kBatch = 256;
}

TimerRunner::TimerRunner(resource::Engine& engine, store::Database& db) : engine_(engine), db_(db) {}

TimerRunner::~TimerRunner() { stop(); }

void TimerRunner::add_handler(TimerHandler handler) {
  const std::string name = handler.name;
  handlers_.emplace(name, std::move(handler));
}

void TimerRunner::start() { thread_ = std::thread([this] { run(); }); }

void TimerRunner::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void TimerRunner::wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  wake_.notify_all();
}

void TimerRunner::run() {
  for (;;) {
    std::chrono::milliseconds wait(60000);  // a safety net: commits that schedule timers wake us
    try {
      fire_due();
      if (auto next = store::next_timer_due(db_.reader()))
        wait = std::min(wait, std::chrono::milliseconds(std::max<std::int64_t>(0, *next - unix_ms_now())));
    } catch (const std::exception& e) {
      log::error("reaction", "timer runner failed; retrying", {{"error", e.what()}});
      wait = std::chrono::milliseconds(500);
    }
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, wait, [this] { return stopping_ || woken_; });
    if (stopping_) return;
    woken_ = false;
  }
}

void TimerRunner::fire_due() {
  for (;;) {
    const auto now = unix_ms_now();
    auto due = store::due_timers(db_.reader(), now, kBatch);
    if (due.empty()) return;
    std::vector<std::future<std::exception_ptr>> results;
    for (const auto& row : due) {
      auto finished = std::make_shared<std::promise<std::exception_ptr>>();
      results.push_back(finished->get_future());
      store::WriteJob job;
      job.correlation_id = row.correlation_id;
      job.run = [this, row, now](store::WriteTxn& txn) {
        // Read again inside the transaction: cancelled, replaced or already fired since.
        auto current = store::read_timer(txn.connection(), row.id);
        if (!current || current->due_ms > now || current->handler != row.handler) return;
        auto handler = handlers_.find(row.handler);
        if (handler == handlers_.end())
          throw std::runtime_error("no timer handler named '" + row.handler + "' (is its module enabled?)");
        FiredTimer timer{row.id, row.handler, iso8601_from_ms(current->due_ms), parse_object(current->payload),
                         current->attempts + 1};
        RequestContext context;
        context.correlation_id = current->correlation_id;
        context.principal.subject = "timer:" + row.handler;
        context.received_at = resource::now_iso8601();
        resource::WorkSession session(engine_, txn, context);
        handler->second.handler(timer, session);
        // Deleted with the handler's changes: it fires once in effect. (Unless the handler
        // scheduled the same id again for later: then that new timer stays.)
        if (auto after = store::read_timer(txn.connection(), row.id); after && after->due_ms <= now)
          store::delete_timer(txn.connection(), row.id);
      };
      job.done = [finished](std::exception_ptr error) { finished->set_value(error); };
      db_.submit(std::move(job));
    }
    for (std::size_t i = 0; i < due.size(); ++i) {
      auto error = results[i].get();
      if (!error) {
        ++fired_;
        continue;
      }
      ++failures_;
      const auto& row = due[i];
      const int attempts = row.attempts + 1;
      auto handler = handlers_.find(row.handler);
      const RetryPolicy policy = handler != handlers_.end() ? handler->second.retry : RetryPolicy{};
      const std::string why = describe(error);
      try {
        if (handler == handlers_.end() || attempts >= policy.max_attempts) {
          store::DeadLetter letter;
          letter.owner = row.handler;
          letter.key = row.id;
          letter.payload = row.payload;
          letter.correlation_id = row.correlation_id;
          letter.error = why;
          letter.attempts = attempts;
          letter.parked_at = resource::now_iso8601();
          db_.with_writer([&](store::Connection& conn) {
            store::park_dead_letter(conn, store::DeadLetterKind::Timer, letter);
            store::delete_timer(conn, row.id);
          });
          ++parked_;
          log::error("reaction", "timer failed on every attempt; parked as a dead letter",
                     {{"timer", row.id}, {"handler", row.handler}, {"attempts", attempts}, {"error", why}});
        } else {
          const auto retry_at = unix_ms_now() + retry_delay(policy, attempts).count();
          db_.with_writer([&](store::Connection& conn) { store::reschedule_timer(conn, row.id, retry_at, attempts); });
          log::warn("reaction", "timer handler failed; retrying",
                    {{"timer", row.id}, {"handler", row.handler}, {"attempt", attempts}, {"error", why}});
        }
      } catch (const std::exception& e) {
        log::error("reaction", "could not record a failed timer", {{"timer", row.id}, {"error", e.what()}});
        return;  // the store fails: the run loop waits and tries again
      }
    }
  }
}

} // namespace tmfd::reaction
