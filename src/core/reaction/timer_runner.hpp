#pragma once
// Fires durable timers (tmfd/reactions.hpp): waits for the earliest due timer, runs its handler
// in a unit of work that deletes it (so it fires once in effect), retries a handler that throws
// and parks the timer as a dead letter after the last attempt.
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include <tmfd/reactions.hpp>

namespace tmfd::resource {
class Engine;
}
namespace tmfd::store {
class Database;
}

namespace tmfd::reaction {

struct TimerStatus {
  std::uint64_t fired = 0;     // since start
  std::uint64_t failures = 0;  // firings that threw
  std::uint64_t parked = 0;
};

class TimerRunner {
public:
  TimerRunner(resource::Engine& engine, store::Database& db);
  ~TimerRunner();

  // Before start().
  void add_handler(TimerHandler handler);
  bool has_handler(const std::string& name) const { return handlers_.count(name) > 0; }
  const std::map<std::string, TimerHandler>& handlers() const { return handlers_; }

  void start();
  void stop();
  // A commit scheduled a timer: look again at what is due next. Any thread.
  void wake();
  TimerStatus status() const { return {fired_.load(), failures_.load(), parked_.load()}; }

private:
  void run();
  void fire_due();

  resource::Engine& engine_;
  store::Database& db_;
  std::map<std::string, TimerHandler> handlers_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool woken_ = false;     // guarded by mutex_
  bool stopping_ = false;  // guarded by mutex_
  std::atomic<std::uint64_t> fired_{0}, failures_{0}, parked_{0};
  std::thread thread_;
};

} // namespace tmfd::reaction
