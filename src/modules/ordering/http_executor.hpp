#pragma once
// The `http` executor: a step that calls an endpoint. The call is made by the module's worker
// threads, never on the store's writer:
//   1. the step starts (in its unit of work): a durable timer "call:<step>" is scheduled for now,
//      so the call is dispatched only once that unit has committed;
//   2. the timer fires: the call is queued for a worker;
//   3. the worker POSTs {order, step, name, action, attempt, specification, customer, parameters}
//      to `url` (http:// or https://, the server's certificate verified) with
//      `Idempotency-Key: <step>-<attempt>`, within `timeout_seconds` (default 30);
//   4. a 2xx answer completes the attempt: the members of its JSON object body's "characteristic"
//      array ({name, value}) become the step's output; any other answer or a failure fails it
//      (retried with backoff like any step).
// After a crash, the module reschedules the call of every step left waiting on one.
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include <tmfd/fulfilment.hpp>
#include <tmfd/reactions.hpp>
#include <tmfd/resources.hpp>

#include "http_post.hpp"

namespace tmfd::ordering {

class Orchestrator;

inline const std::string kCallTimer = "ordering.http-call";

class HttpCaller {
public:
  // `ca_file`: see HttpSender. Throws std::runtime_error when it cannot be used.
  HttpCaller(Resources& resources, std::shared_ptr<Orchestrator> orchestrator, std::size_t threads,
             const std::string& ca_file);
  ~HttpCaller();
  HttpCaller(const HttpCaller&) = delete;
  HttpCaller& operator=(const HttpCaller&) = delete;

  // The executor the orchestrator runs for `http` steps.
  std::shared_ptr<StepExecutor> executor();
  // The handler of kCallTimer: queues the call of the step named in the timer.
  void on_call_timer(const FiredTimer& timer, UnitOfWork& work);
  // Schedules again the calls of steps waiting on one (after a restart).
  void resume_waiting_calls();
  void start();
  void stop();

private:
  struct Call {
    std::string order_id, step_id, url, method, body;
    int attempt = 1;
    std::chrono::milliseconds timeout{30000};
  };
  void work_loop();
  void finish(const Call& call, bool ok, json::object output, std::string error);

  Resources& resources_;
  std::shared_ptr<Orchestrator> orchestrator_;
  HttpSender sender_;
  std::size_t thread_count_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Call> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

} // namespace tmfd::ordering
