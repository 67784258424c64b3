// The hub delivery workers: Asio coroutines on one delivery thread (see hub_dispatcher.hpp).
#include "delivery/hub_dispatcher.hpp"

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <tmfd/log.hpp>

#include "delivery/callback_client.hpp"
#include "delivery/hub_store.hpp"
#include "delivery/outbox_log.hpp"
#include "io/run_guarded.hpp"
#include "observability/metrics.hpp"
#include "resource/ids_and_time.hpp"
#include "store/database.hpp"

namespace tmfd::delivery {

namespace asio = boost::asio;
using namespace std::chrono_literals;

namespace {

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

struct Worker {
  Worker(asio::io_context& io, HubRecord h, EventFilter f, std::shared_ptr<HubStatus> s)
      : hub(std::move(h)), filter(std::move(f)), event_types(filter.event_types()), status(std::move(s)), wake(io),
        lanes_done(io), cursor(hub.cursor) {}

  HubRecord hub;
  EventFilter filter;
  std::vector<std::string> event_types;  // what the filter can match (empty: any): the rest is not read
  std::shared_ptr<HubStatus> status;
  std::vector<std::unique_ptr<CallbackClient>> clients;  // one per lane
  asio::steady_timer wake;        // idle until notified of new events
  asio::steady_timer lanes_done;  // the batch waits here for its lanes
  std::int64_t cursor;
  // Delivered replays whose removal is not committed yet; guarded: the writer thread erases.
  std::mutex replays_mutex;
  std::set<std::int64_t> replays_finishing;
  bool news = false;
  bool stopped = false;
};

} // namespace

struct HubDispatcher::Impl {
  Impl(store::Database& db, const DeliverySettings& settings, const CallbackPolicy& policy,
       observability::Metrics& metrics)
      : db(db), settings(settings), policy(policy), metrics(metrics), tls(asio::ssl::context::tls_client) {}

  store::Database& db;
  const DeliverySettings& settings;
  const CallbackPolicy& policy;
  observability::Metrics& metrics;
  asio::ssl::context tls;
  std::mt19937_64 random{std::random_device{}()};

  std::map<std::string, std::shared_ptr<Worker>> workers;  // delivery thread only
  std::atomic<bool> notify_pending{false};

  std::mutex running_mutex;
  std::condition_variable running_changed;
  std::size_t running = 0;  // worker coroutines not yet returned

  // Declared last: destroyed first, with any coroutine frames still suspended in it, while the
  // members above that those frames refer to still exist.
  asio::io_context io{1};
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> guard;
  std::thread thread;

  std::chrono::milliseconds backoff(int attempts) {
    auto delay = settings.backoff_initial;
    for (int i = 1; i < attempts && delay < settings.backoff_max; ++i) delay *= 2;
    delay = std::min(delay, settings.backoff_max);
    // Half fixed, half random: receivers that failed together do not retry in lockstep.
    std::uniform_int_distribution<std::int64_t> jitter(0, delay.count() / 2);
    return std::chrono::milliseconds(delay.count() - delay.count() / 2 + jitter(random));
  }

  void store_cursor(const std::shared_ptr<Worker>& w) {
    store::WriteJob job;
    const auto cursor = w->cursor;
    job.run = [id = w->hub.id, cursor](store::WriteTxn& txn) { hub_store::store_cursor(txn.connection(), id, cursor); };
    job.done = [status = w->status, cursor](std::exception_ptr error) {
      if (error) return;  // the store is stopping: the batch is resent after the restart
      auto stored = status->stored_sequence.load();
      while (stored < cursor && !status->stored_sequence.compare_exchange_weak(stored, cursor)) {
      }
    };
    db.submit(std::move(job));
  }

  void dead_letter(const std::shared_ptr<Worker>& w, const OutboxEntry& entry, int attempts, const std::string& error) {
    log::warn("delivery", "event dead-lettered",
              {{"hub", w->hub.id}, {"event", entry.event.event_id}, {"attempts", attempts},
               {"error", error}});
    store::WriteJob job;
    job.correlation_id = entry.event.correlation_id;
    job.run = [id = w->hub.id, entry, attempts, error](store::WriteTxn& txn) {
      hub_store::add_dead_letter(txn.connection(), id, entry, attempts, error);
    };
    // Counted once stored, so the count never runs ahead of GET .../deadLetter.
    job.done = [status = w->status](std::exception_ptr error) {
      if (!error) status->dead_letters.fetch_add(1);
    };
    db.submit(std::move(job));
  }

  asio::awaitable<void> sleep_unless_stopped(const std::shared_ptr<Worker>& w, std::chrono::milliseconds delay) {
    // In slices, so that stopping never waits for a long backoff.
    asio::steady_timer timer(io);
    const auto until = std::chrono::steady_clock::now() + delay;
    while (!w->stopped && std::chrono::steady_clock::now() < until) {
      timer.expires_at(std::min(until, std::chrono::steady_clock::now() + 100ms));
      boost::system::error_code ec;
      co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
  }

  // Delivers one lane's events in order: each until its callback answers 2xx or it runs out of
  // attempts or age.
  asio::awaitable<void> deliver_lane(std::shared_ptr<Worker> w, std::size_t lane,
                                     std::vector<const OutboxEntry*> events) {
    CallbackClient& client = *w->clients[lane];
    HubStatus& status = *w->status;
    for (const OutboxEntry* entry : events) {
      for (int attempts = 1;; ++attempts) {
        if (w->stopped) co_return;
        auto outcome = co_await client.post(entry->event.payload, entry->event.correlation_id);
        if (w->stopped) co_return;
        if (outcome.delivered) {
          status.delivered.fetch_add(1, std::memory_order_relaxed);
          status.consecutive_failures.store(0, std::memory_order_relaxed);
          metrics.delivery_lag_seconds.observe(static_cast<double>(now_ms() - entry->committed_ms) / 1000.0);
          break;
        }
        status.failures.fetch_add(1, std::memory_order_relaxed);
        const auto consecutive = status.consecutive_failures.fetch_add(1, std::memory_order_relaxed) + 1;
        status.set_error(outcome.error);
        if (consecutive == 1 || consecutive % 100 == 0)
          log::warn("delivery", "callback failed",
                    {{"hub", w->hub.id}, {"callback", w->hub.callback}, {"error", outcome.error},
                     {"consecutive_failures", consecutive}});
        const bool too_old = now_ms() - entry->committed_ms >=
                             std::chrono::duration_cast<std::chrono::milliseconds>(settings.max_age).count();
        if (attempts >= settings.max_attempts || too_old) {
          dead_letter(w, *entry, attempts, too_old ? outcome.error + " (event older than max_age)" : outcome.error);
          break;
        }
        co_await sleep_unless_stopped(w, backoff(attempts));
      }
    }
  }

  // Delivers `events` over the hub's lanes (by resource) and returns when every lane is done.
  asio::awaitable<void> deliver_batch(std::shared_ptr<Worker> w, std::vector<const OutboxEntry*> events) {
    const std::size_t lane_count = w->clients.size();
    std::hash<std::string> hash;
    std::vector<std::vector<const OutboxEntry*>> lanes(lane_count);
    for (const OutboxEntry* entry : events) lanes[hash(entry->event.resource_id) % lane_count].push_back(entry);
    auto remaining = std::make_shared<std::size_t>(0);
    for (std::size_t i = 0; i < lane_count; ++i) {
      if (lanes[i].empty()) continue;
      ++*remaining;
      asio::co_spawn(io, deliver_lane(w, i, std::move(lanes[i])), [w, remaining](std::exception_ptr error) {
        if (error) log::error("delivery", "delivery lane failed", {{"hub", w->hub.id}});
        if (--*remaining == 0) w->lanes_done.cancel();
      });
    }
    while (*remaining > 0) {
      w->lanes_done.expires_after(24h);
      boost::system::error_code ec;
      co_await w->lanes_done.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
  }

  // Removes delivered (or again dead-lettered) replays from the queue. Until that commits the
  // worker skips them, so that it does not read and send them once more meanwhile.
  void finish_replays(const std::shared_ptr<Worker>& w, std::vector<std::int64_t> seqs) {
    {
      std::lock_guard lock(w->replays_mutex);
      w->replays_finishing.insert(seqs.begin(), seqs.end());
    }
    store::WriteJob job;
    job.run = [id = w->hub.id, seqs](store::WriteTxn& txn) { hub_store::finish_replays(txn.connection(), id, seqs); };
    job.done = [w, seqs](std::exception_ptr) {
      // On failure (the store is stopping) the replays stay queued and are sent after a restart.
      std::lock_guard lock(w->replays_mutex);
      for (auto seq : seqs) w->replays_finishing.erase(seq);
    };
    db.submit(std::move(job));
  }

  // Sends the hub's queued replays, if any, before going on with the outbox. Returns whether
  // there were any.
  asio::awaitable<bool> deliver_replays(std::shared_ptr<Worker> w) {
    std::set<std::int64_t> finishing;
    {
      std::lock_guard lock(w->replays_mutex);
      finishing = w->replays_finishing;
    }
    std::vector<OutboxEntry> queued;
    try {
      queued = hub_store::replays(db.reader(), w->hub.id, settings.batch_size + finishing.size());
    } catch (const std::exception& e) {
      log::error("delivery", "cannot read the replay queue", {{"hub", w->hub.id}, {"error", e.what()}});
      co_return false;
    }
    std::vector<const OutboxEntry*> events;
    std::vector<std::int64_t> seqs;
    for (const auto& entry : queued) {
      if (finishing.count(entry.event.sequence)) continue;
      events.push_back(&entry);
      seqs.push_back(entry.event.sequence);
    }
    if (events.empty()) co_return false;
    w->status->busy.store(true);
    co_await deliver_batch(w, std::move(events));
    if (w->stopped) co_return true;  // resent after the next start
    log::info("delivery", "dead letters replayed", {{"hub", w->hub.id}, {"events", seqs.size()}});
    finish_replays(w, std::move(seqs));
    co_return true;
  }

  asio::awaitable<void> run_worker(std::shared_ptr<Worker> w) {
    while (!w->stopped) {
      if (co_await deliver_replays(w)) continue;
      OutboxRead read;
      bool read_failed = false;
      try {
        // Events of types the hub's query leaves out, and internal kinds' events (the modules'
        // own bookkeeping, which never leaves the process), are skipped inside the read.
        read = read_outbox_selected(db.reader(), w->cursor, db.durable_sequence(), settings.batch_size,
                                    OutboxSelection{w->event_types, false});
      } catch (const std::exception& e) {
        log::error("delivery", "cannot read the outbox", {{"hub", w->hub.id}, {"error", e.what()}});
        read_failed = true;
      }
      if (read_failed) {
        co_await sleep_unless_stopped(w, 1000ms);
        continue;
      }
      if (read.entries.empty()) {
        w->status->busy.store(false);
        if (read.read_upto > w->cursor) {
          // Only skipped events: the cursor moves past them, nothing is sent.
          w->cursor = read.read_upto;
          w->status->done_sequence.store(w->cursor);
          store_cursor(w);
        }
        if (!w->news) {
          // Woken by notify(); the timeout is only a safety net.
          w->wake.expires_after(1s);
          boost::system::error_code ec;
          co_await w->wake.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        }
        w->news = false;
        continue;
      }
      w->status->busy.store(true);
      std::vector<const OutboxEntry*> events;
      for (const auto& entry : read.entries)
        if (in_scope(w->hub, entry.event) && w->filter.matches(entry.event)) events.push_back(&entry);
      co_await deliver_batch(w, std::move(events));
      if (w->stopped) break;  // the batch may be half delivered: resent after a restart
      w->cursor = read.read_upto;
      w->status->done_sequence.store(w->cursor);
      {
        std::lock_guard lock(w->status->mutex);
        w->status->last_delivery = resource::now_iso8601();
      }
      store_cursor(w);
    }
  }

  void spawn(std::shared_ptr<Worker> w) {
    {
      std::lock_guard lock(running_mutex);
      ++running;
    }
    metrics.hub_workers.fetch_add(1, std::memory_order_relaxed);
    asio::co_spawn(io, run_worker(w), [this, w](std::exception_ptr error) {
      if (error) log::error("delivery", "hub worker ended unexpectedly", {{"hub", w->hub.id}});
      metrics.hub_workers.fetch_sub(1, std::memory_order_relaxed);
      std::lock_guard lock(running_mutex);
      --running;
      running_changed.notify_all();
    });
  }

  void stop_worker(Worker& w) {
    w.stopped = true;
    w.wake.cancel();
    w.lanes_done.cancel();
    for (auto& c : w.clients) c->close();
  }
};

HubDispatcher::HubDispatcher(store::Database& db, const DeliverySettings& settings, const CallbackPolicy& policy,
                             observability::Metrics& metrics)
    : impl_(std::make_unique<Impl>(db, settings, policy, metrics)) {}

HubDispatcher::~HubDispatcher() { stop(); }

void HubDispatcher::start() {
  auto& tls = impl_->tls;
  tls.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                  asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1);
  tls.set_verify_mode(asio::ssl::verify_peer);
  if (impl_->settings.ca_file.empty())
    tls.set_default_verify_paths();
  else
    tls.load_verify_file(impl_->settings.ca_file);  // throws naming the problem
  impl_->guard.emplace(impl_->io.get_executor());
  impl_->thread = std::thread([this] { io::run_guarded(impl_->io, "delivery"); });
}

void HubDispatcher::stop() {
  Impl& d = *impl_;
  if (!d.thread.joinable()) return;
  asio::post(d.io, [&d] {
    for (auto& [id, w] : d.workers) d.stop_worker(*w);
  });
  {
    // Workers return within a moment once stopped; a connect stuck in name resolution may not.
    std::unique_lock lock(d.running_mutex);
    d.running_changed.wait_for(lock, 5s, [&d] { return d.running == 0; });
  }
  d.guard.reset();
  d.io.stop();
  d.thread.join();
  // Workers own timers and sockets of the io_context: they go while it still exists.
  d.workers.clear();
}

void HubDispatcher::add(const HubRecord& hub, EventFilter filter, CallbackUrl url, std::shared_ptr<HubStatus> status) {
  Impl& d = *impl_;
  status->done_sequence.store(hub.cursor);
  status->stored_sequence.store(hub.cursor);
  auto w = std::make_shared<Worker>(d.io, hub, std::move(filter), std::move(status));
  const ClientTimeouts timeouts{d.settings.connect_timeout, d.settings.request_timeout};
  for (std::size_t i = 0; i < d.settings.connections_per_subscription; ++i)
    w->clients.push_back(std::make_unique<CallbackClient>(d.io.get_executor(), d.tls, d.policy, url, timeouts));
  asio::post(d.io, [&d, w] {
    d.workers[w->hub.id] = w;
    d.spawn(w);
  });
}

void HubDispatcher::remove(const std::string& hub_id) {
  Impl& d = *impl_;
  asio::post(d.io, [&d, hub_id] {
    auto it = d.workers.find(hub_id);
    if (it == d.workers.end()) return;
    d.stop_worker(*it->second);
    d.workers.erase(it);
  });
}

void HubDispatcher::wake(const std::string& hub_id) {
  Impl& d = *impl_;
  asio::post(d.io, [&d, hub_id] {
    auto it = d.workers.find(hub_id);
    if (it == d.workers.end()) return;
    it->second->news = true;
    it->second->wake.cancel();
  });
}

void HubDispatcher::notify(std::int64_t) {
  Impl& d = *impl_;
  // One wake-up in flight is enough: it makes every worker read the outbox again.
  if (d.notify_pending.exchange(true)) return;
  asio::post(d.io, [&d] {
    d.notify_pending.store(false);
    for (auto& [id, w] : d.workers) {
      w->news = true;
      w->wake.cancel();
    }
  });
}

} // namespace tmfd::delivery
