#include "reaction/reaction_runner.hpp"

#include <algorithm>
#include <future>
#include <set>

#include <tmfd/log.hpp>
#include <tmfd/unit_of_work.hpp>

#include "delivery/event_streams.hpp"
#include "reaction/work_outcome.hpp"
#include "resource/engine.hpp"
#include "resource/ids_and_time.hpp"
#include "resource/work_session.hpp"
#include "store/database.hpp"
#include "store/reaction_rows.hpp"

namespace tmfd::reaction {

namespace {

// Events of one resource are handled in commit order: a failure holds back only that resource.
std::string resource_key(const Event& e) { return e.domain + "/" + e.resource_type + "/" + e.resource_id; }

// Thrown by a job whose resource failed earlier in the same round: it waits for that retry.
struct HeldBack : std::runtime_error {
  HeldBack() : std::runtime_error("held back behind an earlier event of the same resource") {}
};

constexpr std::size_t kBatch = 256;
constexpr std::int64_t kForgetEvery = 1000;  // delete handled-markers in steps of this many events

} // namespace

ReactionRunner::ReactionRunner(Reaction reaction, delivery::EventFilter filter, resource::Engine& engine,
                               store::Database& db)
    : reaction_(std::move(reaction)), filter_(std::move(filter)), engine_(engine), db_(db) {}

ReactionRunner::~ReactionRunner() { stop(); }

void ReactionRunner::start(delivery::EventStreams& streams) {
  stream_ = streams.open("reaction:" + reaction_.name, reaction_.first_start, true, filter_.event_types());
  read_upto_ = stream_->acknowledged();
  forgotten_upto_ = read_upto_;
  cursor_ = read_upto_;
  thread_ = std::thread([this] { run(); });
}

void ReactionRunner::stop() {
  stopping_ = true;
  if (stream_) stream_->close();
  if (thread_.joinable()) thread_.join();
}

ReactionStatus ReactionRunner::status() const {
  return {reaction_.name, reaction_.filter, cursor_.load(), waiting_.load(), handled_.load(), failures_.load(),
          parked_.load()};
}

std::chrono::milliseconds ReactionRunner::wait_for_next_retry() const {
  using namespace std::chrono;
  milliseconds wait = seconds(1);
  const auto now = steady_clock::now();
  for (const auto& [key, queue] : blocked_) {
    auto due = duration_cast<milliseconds>(queue.front().next_try - now);
    wait = std::min(wait, std::max(due, milliseconds(0)));
  }
  return wait;
}

std::vector<ReactionRunner::Pending> ReactionRunner::take_due_retries() {
  std::vector<Pending> round;
  const auto now = std::chrono::steady_clock::now();
  for (auto it = blocked_.begin(); it != blocked_.end();) {
    if (it->second.front().next_try > now) {
      ++it;
      continue;
    }
    for (auto& p : it->second) round.push_back(std::move(p));
    it = blocked_.erase(it);
  }
  std::sort(round.begin(), round.end(),
            [](const Pending& a, const Pending& b) { return a.event.sequence < b.event.sequence; });
  return round;
}

void ReactionRunner::run() {
  while (!stopping_) {
    try {
      auto retries = take_due_retries();
      if (!retries.empty()) run_round(std::move(retries));
      auto events = stream_->next(kBatch, blocked_.empty() ? std::chrono::milliseconds(1000) : wait_for_next_retry());
      if (stopping_) break;
      std::vector<Pending> round;
      for (auto& e : events) {
        read_upto_ = e.sequence;
        if (!filter_.matches(e)) continue;
        Pending p{std::move(e), 0, {}, {}};
        auto held = blocked_.find(resource_key(p.event));
        if (held != blocked_.end()) held->second.push_back(std::move(p));  // behind its resource's retry
        else round.push_back(std::move(p));
      }
      // Past the events of other types the stream skipped, too.
      read_upto_ = std::max(read_upto_, stream_->position());
      if (!round.empty()) run_round(std::move(round));
      acknowledge_handled(read_upto_);
    } catch (const std::exception& e) {
      // The outbox could not be read (a failing disk): try again shortly, nothing is lost.
      log::error("reaction", "reaction runner failed; retrying", {{"reaction", reaction_.name}, {"error", e.what()}});
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
  }
}

void ReactionRunner::run_round(std::vector<Pending> round) {
  // Every event is its own job, submitted without waiting: the writer commits them together in
  // one group, each in its own savepoint, in this order. A job whose resource failed earlier in the
  // round does nothing (HeldBack), so that resource's events stay in commit order.
  auto failed_keys = std::make_shared<std::set<std::string>>();  // writer thread only
  std::vector<std::future<std::exception_ptr>> results;
  results.reserve(round.size());
  for (const auto& p : round) {
    auto finished = std::make_shared<std::promise<std::exception_ptr>>();
    results.push_back(finished->get_future());
    store::WriteJob job;
    job.correlation_id = p.event.correlation_id;
    job.run = [this, failed_keys, event = &p.event](store::WriteTxn& txn) {
      const auto key = resource_key(*event);
      if (failed_keys->count(key)) throw HeldBack();
      if (store::reaction_handled(txn.connection(), reaction_.name, event->sequence)) return;  // before a crash
      RequestContext context;
      context.correlation_id = event->correlation_id;
      context.principal.subject = "reaction:" + reaction_.name;
      context.received_at = resource::now_iso8601();
      resource::WorkSession session(engine_, txn, context);
      try {
        reaction_.handler(*event, session);
      } catch (...) {
        failed_keys->insert(key);
        throw;
      }
      store::mark_reaction_handled(txn.connection(), reaction_.name, event->sequence);
    };
    job.done = [finished](std::exception_ptr error) { finished->set_value(error); };
    db_.submit(std::move(job));
  }
  const auto now = std::chrono::steady_clock::now();
  for (std::size_t i = 0; i < round.size(); ++i) {
    auto error = results[i].get();
    Pending& p = round[i];
    if (!error) {
      ++handled_;
      continue;
    }
    const auto key = resource_key(p.event);
    bool held_back = false;
    try {
      std::rethrow_exception(error);
    } catch (const HeldBack&) {
      held_back = true;
    } catch (...) {
    }
    if (!held_back) {
      ++failures_;
      ++p.attempts;
      p.last_error = describe(error);
      if (p.attempts >= reaction_.retry.max_attempts) {
        park(p);
        // What waited behind it goes on at once.
        p.next_try = now;
        continue;
      }
      log::warn("reaction", "handler failed; retrying",
                {{"reaction", reaction_.name}, {"sequence", p.event.sequence}, {"attempt", p.attempts},
                 {"error", p.last_error}});
      p.next_try = now + retry_delay(reaction_.retry, p.attempts);
    } else {
      auto& queue = blocked_[key];
      p.next_try = queue.empty() ? now : queue.front().next_try;
    }
    blocked_[key].push_back(std::move(p));
  }
  // Parked heads were not queued; a queue whose head was parked starts now.
  std::size_t waiting = 0;
  for (auto& [key, queue] : blocked_) {
    if (queue.front().attempts == 0) queue.front().next_try = std::min(queue.front().next_try, now);
    waiting += queue.size();
  }
  waiting_ = waiting;
}

void ReactionRunner::park(const Pending& p) {
  store::DeadLetter letter;
  letter.owner = reaction_.name;
  letter.key = std::to_string(p.event.sequence);
  letter.event_type = p.event.event_type;
  letter.resource = resource_key(p.event);
  letter.payload = p.event.payload;
  letter.correlation_id = p.event.correlation_id;
  letter.error = p.last_error;
  letter.attempts = p.attempts;
  letter.parked_at = resource::now_iso8601();
  const auto name = reaction_.name;
  const auto sequence = p.event.sequence;
  try {
    db_.with_writer([&](store::Connection& conn) {
      store::park_dead_letter(conn, store::DeadLetterKind::Reaction, letter);
      store::mark_reaction_handled(conn, name, sequence);
    });
    ++parked_;
    log::error("reaction", "handler failed on every attempt; event parked as a dead letter",
               {{"reaction", name}, {"sequence", sequence}, {"attempts", p.attempts}, {"error", p.last_error}});
  } catch (const std::exception& e) {
    // Not parked: it stays unhandled below the cursor and is read again after a restart.
    log::error("reaction", "could not park a dead letter", {{"reaction", name}, {"error", e.what()}});
  }
}

void ReactionRunner::acknowledge_handled(std::int64_t read_upto) {
  // The cursor moves up to just before the oldest event still waiting: a restart re-reads from
  // there, and the handled-markers make the re-read events that were handled no-ops.
  std::int64_t upto = read_upto;
  for (const auto& [key, queue] : blocked_) upto = std::min(upto, queue.front().event.sequence - 1);
  if (upto <= stream_->acknowledged()) return;
  const auto previous = stream_->acknowledged();
  stream_->acknowledge(upto);
  cursor_ = upto;
  // Markers at or below a cursor stored by an earlier round are covered by it: delete them, a
  // round behind so that a cursor write that failed never leaves a handled event unmarked.
  if (previous - forgotten_upto_ >= kForgetEvery) {
    store::WriteJob job;
    job.run = [name = reaction_.name, previous](store::WriteTxn& txn) {
      store::forget_handled_upto(txn.connection(), name, previous);
    };
    job.done = [](std::exception_ptr) {};
    db_.submit(std::move(job));
    forgotten_upto_ = previous;
  }
}

} // namespace tmfd::reaction
