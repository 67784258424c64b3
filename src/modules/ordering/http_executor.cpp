#include "http_executor.hpp"

#include <tmfd/error.hpp>
#include <tmfd/ids.hpp>
#include <tmfd/log.hpp>

#include "json_fields.hpp"
#include "order_paths.hpp"
#include "orchestrator.hpp"

namespace tmfd::ordering {

namespace {

class HttpExecutor final : public StepExecutor {
public:
  StepOutcome start(const StepRequest& request, UnitOfWork& work) override {
    // Dispatched once this unit commits: the timer is stored with it.
    work.schedule_timer("call:" + request.step_id, kCallTimer, std::chrono::system_clock::now(),
                        json::object{{"order", request.order_id}, {"step", request.step_id}, {"attempt", request.attempt}});
    return {StepOutcome::Status::Waiting, {}, {}};
  }
};

RequestContext worker_context() {
  RequestContext context;
  context.correlation_id = new_uuid();
  context.principal.subject = kOrchestratorPrincipal;
  return context;
}

} // namespace

HttpCaller::HttpCaller(Resources& resources, std::shared_ptr<Orchestrator> orchestrator, std::size_t threads,
                       const std::string& ca_file)
    : resources_(resources), orchestrator_(std::move(orchestrator)), sender_(ca_file), thread_count_(threads) {}

HttpCaller::~HttpCaller() { stop(); }

std::shared_ptr<StepExecutor> HttpCaller::executor() { return std::make_shared<HttpExecutor>(); }

void HttpCaller::on_call_timer(const FiredTimer& timer, UnitOfWork& work) {
  const std::string order_id = text_at(timer.payload, "order"), step_id = text_at(timer.payload, "step");
  const auto* attempt = timer.payload.if_contains("attempt");
  auto plan = orchestrator_->find_plan(work, order_id);
  if (!plan || !attempt || !attempt->is_int64()) return;
  const Step* step = plan->step(step_id);
  if (!step || step->state != "active" || step->attempts != attempt->as_int64()) return;  // moved on meanwhile
  const StepRequest request = orchestrator_->request_of(*plan, *step);
  json::object body{{"order", request.order_id}, {"step", request.step_id}, {"name", request.step_name},
                    {"action", request.action}, {"attempt", request.attempt}, {"specification", request.specification},
                    {"customer", request.customer}, {"parameters", request.parameters}};
  Call call{order_id, step_id, text_at(step->parameters, "url"), text_at(step->parameters, "method"),
            json::serialize(body), step->attempts, std::chrono::milliseconds(30000)};
  if (call.method.empty()) call.method = "POST";
  if (const auto* t = step->parameters.if_contains("timeout_seconds"); t && t->is_int64())
    call.timeout = std::chrono::milliseconds(t->as_int64() * 1000);
  std::lock_guard lock(mutex_);
  queue_.push_back(std::move(call));
  wake_.notify_one();
}

void HttpCaller::resume_waiting_calls() {
  // Pages through the running plans; a step waiting on a call gets its call scheduled again
  // (rescheduling replaces a timer still pending, so each call is made once).
  for (std::size_t offset = 0;; offset += 200) {
    auto page = resources_.list(kPlans, "state=running&limit=200&offset=" + std::to_string(offset));
    for (const auto& text : page.bodies) {
      const Plan plan = plan_from_json(parse_object(text));
      for (const auto& step : plan.steps) {
        if (step.executor != "http" || step.state != "active") continue;
        resources_.run_and_wait(worker_context(), [&](UnitOfWork& work) {
          work.schedule_timer("call:" + step.id, kCallTimer, std::chrono::system_clock::now(),
                              json::object{{"order", plan.id}, {"step", step.id}, {"attempt", step.attempts}});
        });
      }
    }
    if (page.bodies.size() < 200) break;
  }
}

void HttpCaller::start() {
  for (std::size_t i = 0; i < thread_count_; ++i) threads_.emplace_back([this] { work_loop(); });
}

void HttpCaller::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& t : threads_)
    if (t.joinable()) t.join();
  threads_.clear();
}

void HttpCaller::work_loop() {
  for (;;) {
    Call call;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      // Calls left in the queue at shutdown are made after the restart (resume_waiting_calls).
      if (stopping_) return;
      call = std::move(queue_.front());
      queue_.pop_front();
    }
    try {
      const auto answer = sender_.send_json(call.method, call.url, call.body,
                                         {{"Idempotency-Key", call.step_id + "-" + std::to_string(call.attempt)}}, call.timeout);
      if (answer.status < 200 || answer.status >= 300) {
        finish(call, false, {}, call.url + " answered " + std::to_string(answer.status));
        continue;
      }
      json::object output;
      if (!answer.body.empty()) {
        json::error_code ec;
        auto parsed = json::parse(answer.body, ec);
        if (!ec && parsed.is_object())
          if (const auto* chars = array_at(parsed.get_object(), "characteristic"))
            for (const auto& c : *chars)
              if (c.is_object() && !text_at(c.get_object(), "name").empty() && c.get_object().contains("value"))
                output[text_at(c.get_object(), "name")] = c.get_object().at("value");
      }
      finish(call, true, std::move(output), {});
    } catch (const std::exception& e) {
      finish(call, false, {}, call.url + ": " + e.what());
    }
  }
}

void HttpCaller::finish(const Call& call, bool ok, json::object output, std::string error) {
  UnitOfWorkResult result;
  try {
    result = resources_.run_and_wait(worker_context(), [&](UnitOfWork& work) {
      orchestrator_->finish_attempt(work, call.order_id, call.step_id, call.attempt, ok, output, error);
    });
  } catch (const std::exception& e) {
    // Never out of the worker thread: the step stays waiting and its call is made again after a
    // restart (resume_waiting_calls).
    result.error = ApiError(500, "INTERNAL_ERROR", "Internal error", e.what());
  }
  if (!result.committed)
    log::warn("ordering", "the outcome of an http step was not recorded",
              {{"order", call.order_id}, {"step", call.step_id}, {"error", result.error ? result.error->detail() : ""}});
}

} // namespace tmfd::ordering
